/** `npm run stress` flags, normalised once against one defaults object. */
import { parseArgs } from 'node:util';
import { randomInt } from 'node:crypto';

export interface StressOptions {
  /** The CI version: every stage scaled down, the whole suite about a minute. */
  readonly short: boolean;
  /** Stages to run, by name; every stage when absent. */
  readonly only: readonly string[] | undefined;
  /** Seeds every random choice a stage makes (printed, so that a run can be repeated). */
  readonly seed: number;
  /** fuzz: requests to send (default 20,000; 2,500 with --short). */
  readonly fuzzRequests: number | undefined;
}

export function usage(stageNames: readonly string[]): string {
  return `usage: npm run stress -- [--short] [--only NAME[,NAME]] [--seed N] [--fuzz-requests N]
  --short              the CI version: each stage scaled down (about a minute in all)
  --only <list>        run only these stages, comma-separated: ${stageNames.join(', ')}
  --seed <n>           seed of every random choice (default: a random one, printed)
  --fuzz-requests <n>  fuzz: requests to send (default 20000; 2500 with --short)
  --help`;
}

function whole(flag: string, value: string, min: number): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < min) throw new Error(`--${flag}: expected a whole number from ${min}, got "${value}"`);
  return number;
}

export function parseOptions(argv: readonly string[], stageNames: readonly string[]): StressOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      short: { type: 'boolean' },
      only: { type: 'string' },
      seed: { type: 'string' },
      'fuzz-requests': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  let only: string[] | undefined;
  if (values.only !== undefined) {
    only = values.only.split(',').map((name) => name.trim());
    const unknown = only.find((name) => !stageNames.includes(name));
    if (unknown !== undefined) throw new Error(`--only: unknown stage "${unknown}", expected some of ${stageNames.join(', ')}`);
  }
  return {
    short: values.short === true,
    only,
    seed: values.seed === undefined ? randomInt(1, 2 ** 31) : whole('seed', values.seed, 0),
    fuzzRequests: values['fuzz-requests'] === undefined ? undefined : whole('fuzz-requests', values['fuzz-requests'], 1),
  };
}
