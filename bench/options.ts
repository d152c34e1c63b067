/**
 * The benchmark's flags, normalised once against one defaults object. Long runs (the soak) are
 * off unless asked for, so that a plain `npm run bench` finishes in a few minutes on 2 cores.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Fleet sizes for start, stop, RSS and RPC latency. */
  readonly ns: readonly number[];
  /** API calls in flight at once while starting or stopping a fleet. */
  readonly concurrency: number;
  /** Restarts measured for the crash-to-restart gap. */
  readonly restarts: number;
  /** Describe and echo calls timed, each. */
  readonly rpcSamples: number;
  /** ListProcesses calls timed. */
  readonly listSamples: number;
  /** Seconds of crash-loop soak with daemon RSS sampling; 0 skips it. */
  readonly soakSeconds: number;
  /** Where each daemon writes a V8 CPU profile (node --cpu-prof) when it stops; none when absent. */
  readonly daemonCpuProfDir: string | undefined;
}

const defaults: BenchOptions = {
  ns: [200, 1000],
  concurrency: 100,
  restarts: 200,
  rpcSamples: 2000,
  listSamples: 100,
  soakSeconds: 0,
  daemonCpuProfDir: undefined,
};

export const usage = `usage: node dist/bench/run.js [options]
  --n <list>           fleet sizes, comma-separated (default ${defaults.ns.join(',')})
  --concurrency <k>    API calls in flight while starting/stopping a fleet (default ${defaults.concurrency})
  --restarts <k>       crash-to-restart gaps measured (default ${defaults.restarts})
  --rpc-samples <k>    Describe and echo calls timed, each (default ${defaults.rpcSamples})
  --list-samples <k>   ListProcesses calls timed (default ${defaults.listSamples})
  --soak [seconds]     also run a crash-loop soak sampling daemon RSS (default 600 when given)
  --daemon-cpu-prof <dir>  write a V8 CPU profile of each daemon there (open in Chrome DevTools)
  --help`;

function positive(flag: string, value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1) throw new Error(`--${flag}: expected a positive whole number, got "${value}"`);
  return number;
}

export function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      n: { type: 'string' },
      concurrency: { type: 'string' },
      restarts: { type: 'string' },
      'rpc-samples': { type: 'string' },
      'list-samples': { type: 'string' },
      soak: { type: 'boolean' },
      'daemon-cpu-prof': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  // `--soak 120` arrives as the flag plus a positional: parseArgs has no optional values.
  if (positionals.length > (values.soak ? 1 : 0)) throw new Error(`unexpected argument "${positionals.at(-1)}"\n${usage}`);
  return {
    ns: values.n === undefined ? defaults.ns : values.n.split(',').map((n) => positive('n', n.trim())),
    concurrency: values.concurrency === undefined ? defaults.concurrency : positive('concurrency', values.concurrency),
    restarts: values.restarts === undefined ? defaults.restarts : positive('restarts', values.restarts),
    rpcSamples: values['rpc-samples'] === undefined ? defaults.rpcSamples : positive('rpc-samples', values['rpc-samples']),
    listSamples: values['list-samples'] === undefined ? defaults.listSamples : positive('list-samples', values['list-samples']),
    soakSeconds: !values.soak ? 0 : positionals[0] === undefined ? 600 : positive('soak', positionals[0]),
    daemonCpuProfDir: values['daemon-cpu-prof'] === undefined ? undefined : path.resolve(values['daemon-cpu-prof']),
  };
}
