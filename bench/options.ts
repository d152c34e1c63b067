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
  /** Writers of captured output at once, for log throughput. */
  readonly writers: number;
  /** Bytes of captured output written in all, shared evenly by the writers. */
  readonly logBytes: number;
  /** Seconds of crash-loop soak with daemon RSS sampling; 0 skips it. */
  readonly soakSeconds: number;
  /** Processes crash-looping at once during the soak. */
  readonly soakProcesses: number;
  /** Length of each usage-sampling window (sampling on, then off), seconds. */
  readonly usageSeconds: number;
  /** The usage stage's daemon samples this often: shorter than its 5 s default, for more cycles. */
  readonly usageIntervalMs: number;
  /** crash-load: processes crash-looping, clients calling the API, and for how long. */
  readonly crashProcesses: number;
  readonly crashClients: number;
  readonly crashSeconds: number;
  /** console: processes crash-looping, consoles open, and each window's length. */
  readonly consoleProcesses: number;
  readonly consoles: number;
  readonly consoleSeconds: number;
  readonly consoleRounds: number;
  /** crash-load: the daemon's --restart-rate; undefined: its default. */
  readonly restartRate: number | undefined;
  /** Stages to run (see `stageNames`); all but the soak unless --only says otherwise. */
  readonly stages: ReadonlySet<StageName>;
  /** Where each daemon writes a V8 CPU profile (node --cpu-prof) when it stops; none when absent. */
  readonly daemonCpuProfDir: string | undefined;
}

export const stageNames = ['fleet', 'restart-gap', 'log-throughput', 'usage', 'crash-load', 'console', 'workers', 'soak'] as const;
export type StageName = (typeof stageNames)[number];

const defaults: Omit<BenchOptions, 'stages'> = {
  ns: [200, 1000],
  concurrency: 100,
  restarts: 200,
  rpcSamples: 2000,
  listSamples: 100,
  writers: 8,
  logBytes: 256 * 1024 * 1024,
  soakSeconds: 0,
  soakProcesses: 4,
  usageSeconds: 15,
  usageIntervalMs: 1000,
  crashProcesses: 200,
  crashClients: 50,
  crashSeconds: 30,
  consoleProcesses: 200,
  consoles: 10,
  consoleSeconds: 10,
  consoleRounds: 3,
  restartRate: undefined,
  daemonCpuProfDir: undefined,
};

export const usage = `usage: node dist/bench/run.js [options]
  --n <list>           fleet sizes, comma-separated (default ${defaults.ns.join(',')})
  --concurrency <k>    API calls in flight while starting/stopping a fleet (default ${defaults.concurrency})
  --restarts <k>       crash-to-restart gaps measured (default ${defaults.restarts})
  --rpc-samples <k>    Describe and echo calls timed, each (default ${defaults.rpcSamples})
  --list-samples <k>   ListProcesses calls timed (default ${defaults.listSamples})
  --writers <k>        processes writing captured output at once (default ${defaults.writers})
  --log-mib <m>        MiB of captured output written in all, shared by the writers (default ${defaults.logBytes / 1024 / 1024})
  --soak [seconds]     also run a crash-loop soak sampling daemon RSS (default 600 when given)
  --soak-processes <k> processes crash-looping at once during the soak (default ${defaults.soakProcesses})
  --usage-seconds <s>  usage stage: the largest --n sleeps watched s seconds sampled, then s not (default ${defaults.usageSeconds})
  --usage-interval-ms <ms>  usage stage: the daemon's sampling interval (default ${defaults.usageIntervalMs}; the daemon's own is 5000)
  --crash-processes <k>  crash-load: processes crash-looping with no restart delay (default ${defaults.crashProcesses})
  --crash-clients <k>  crash-load: clients calling List/Describe/GetStatus/Start/Stop meanwhile (default ${defaults.crashClients})
  --crash-seconds <s>  crash-load: how long the storm lasts (default ${defaults.crashSeconds})
  --restart-rate <r>   crash-load: the daemon's restarts per second, 0 for no limit (default: the daemon's)
  --console-processes <k>  console: processes crash-looping while consoles watch (default ${defaults.consoleProcesses})
  --consoles <k>       console: open consoles, on the table, then on process pages (default ${defaults.consoles})
  --console-seconds <s>  console: each window's length (default ${defaults.consoleSeconds})
  --console-rounds <k>  console: windows with consoles, each between two without (default ${defaults.consoleRounds})
  --only <list>        run only these stages, comma-separated: ${stageNames.join(', ')}
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
      writers: { type: 'string' },
      'log-mib': { type: 'string' },
      soak: { type: 'boolean' },
      'soak-processes': { type: 'string' },
      'usage-seconds': { type: 'string' },
      'usage-interval-ms': { type: 'string' },
      'crash-processes': { type: 'string' },
      'crash-clients': { type: 'string' },
      'crash-seconds': { type: 'string' },
      'restart-rate': { type: 'string' },
      'console-processes': { type: 'string' },
      consoles: { type: 'string' },
      'console-seconds': { type: 'string' },
      'console-rounds': { type: 'string' },
      only: { type: 'string' },
      'daemon-cpu-prof': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  // `--soak 120` arrives as the flag plus a positional: parseArgs has no optional values.
  if (positionals.length > (values.soak ? 1 : 0)) throw new Error(`unexpected argument "${positionals.at(-1)}"\n${usage}`);
  const soakSeconds = !values.soak ? 0 : positionals[0] === undefined ? 600 : positive('soak', positionals[0]);
  let stages = new Set<StageName>(stageNames.filter((name) => name !== 'soak' || soakSeconds > 0));
  if (values.only !== undefined) {
    const wanted = values.only.split(',').map((name) => name.trim());
    const unknown = wanted.filter((name) => !(stageNames as readonly string[]).includes(name));
    if (unknown.length > 0) throw new Error(`--only: unknown stage "${unknown[0]}", expected some of ${stageNames.join(', ')}`);
    if (wanted.includes('soak') && soakSeconds === 0) throw new Error('--only soak: give --soak [seconds] too');
    stages = new Set(wanted as StageName[]);
  }
  return {
    ns: values.n === undefined ? defaults.ns : values.n.split(',').map((n) => positive('n', n.trim())),
    concurrency: values.concurrency === undefined ? defaults.concurrency : positive('concurrency', values.concurrency),
    restarts: values.restarts === undefined ? defaults.restarts : positive('restarts', values.restarts),
    rpcSamples: values['rpc-samples'] === undefined ? defaults.rpcSamples : positive('rpc-samples', values['rpc-samples']),
    listSamples: values['list-samples'] === undefined ? defaults.listSamples : positive('list-samples', values['list-samples']),
    writers: values.writers === undefined ? defaults.writers : positive('writers', values.writers),
    logBytes: values['log-mib'] === undefined ? defaults.logBytes : positive('log-mib', values['log-mib']) * 1024 * 1024,
    soakSeconds,
    soakProcesses: values['soak-processes'] === undefined ? defaults.soakProcesses : positive('soak-processes', values['soak-processes']),
    usageSeconds: values['usage-seconds'] === undefined ? defaults.usageSeconds : positive('usage-seconds', values['usage-seconds']),
    usageIntervalMs:
      values['usage-interval-ms'] === undefined ? defaults.usageIntervalMs : positive('usage-interval-ms', values['usage-interval-ms']),
    crashProcesses: values['crash-processes'] === undefined ? defaults.crashProcesses : positive('crash-processes', values['crash-processes']),
    crashClients: values['crash-clients'] === undefined ? defaults.crashClients : positive('crash-clients', values['crash-clients']),
    crashSeconds: values['crash-seconds'] === undefined ? defaults.crashSeconds : positive('crash-seconds', values['crash-seconds']),
    consoleProcesses:
      values['console-processes'] === undefined ? defaults.consoleProcesses : positive('console-processes', values['console-processes']),
    consoles: values.consoles === undefined ? defaults.consoles : positive('consoles', values.consoles),
    consoleSeconds: values['console-seconds'] === undefined ? defaults.consoleSeconds : positive('console-seconds', values['console-seconds']),
    consoleRounds: values['console-rounds'] === undefined ? defaults.consoleRounds : positive('console-rounds', values['console-rounds']),
    restartRate: values['restart-rate'] === undefined ? undefined : Number(values['restart-rate']),
    stages,
    daemonCpuProfDir: values['daemon-cpu-prof'] === undefined ? undefined : path.resolve(values['daemon-cpu-prof']),
  };
}
