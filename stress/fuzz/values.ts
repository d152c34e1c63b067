/**
 * What the fuzzer puts in each field: for a field it knows by name, a pool of good values
 * (which make real processes and reach deep code: names that collide, ids the daemon handed
 * out, durations at the timer limits) and bad ones (wrong enum words, negative durations,
 * relative paths, NUL bytes); for any string, hostile text (emoji cut anywhere, invalid UTF-8,
 * 1 MB, control characters).
 *
 * Safety, since the daemon under test runs as root: what can name a program or a file — the
 * "protected" fields below — only ever holds a harmless command (true, false, echo, sleep), a
 * path inside the stage's temp dir or /dev/null, or a value the validator refuses. The mutator
 * (requests.ts) leaves the bytes of protected values alone, so a flipped bit cannot turn
 * `/bin/true` into another program or a log path into a system file.
 */
import type { Prng } from '../prng.js';

export interface FuzzContext {
  /** `3600.<marker>`: every process a valid spec makes carries it (and sleeps an hour with it). */
  readonly markerArg: string;
  /** The stage's temp dir: the only place fuzzed paths point into. */
  readonly dir: string;
  /** Names shared by every worker, so that creates collide and other RPCs find their targets. */
  readonly names: readonly string[];
  /** Ids the daemon handed out (learned from CreateProcess answers). */
  readonly ids: string[];
}

export type Value = string | Buffer;

interface Pool {
  readonly good: readonly Value[];
  readonly bad: readonly Value[];
}

const emoji = '\u{1F600}';
const mb = 1024 * 1024;

/** Strings that are no value's friend; most are refused, none can name a program or a system file. */
export const hostileStrings: readonly Value[] = [
    '',
    ' ',
    '\0',
    'a\0b',
    '../../../etc/passwd',
    '%s%s%n%x',
    '{"name":"x"}',
    '\u202eevil',
    'a\nb\r\nc',
    '\x1b[31mred\x1b[0m',
    emoji.repeat(40),
    `x${emoji.repeat(40)}`,
    'e\u0301'.repeat(300),
    'a'.repeat(64),
    'a'.repeat(257),
    'a'.repeat(4097),
    Buffer.from([0xff]),
    Buffer.from([0x61, 0xc3, 0x28, 0x62]),
    Buffer.from([0xe2, 0x82]),
    Buffer.from([0xc0, 0xaf]),
    // A lone surrogate as CESU-8: what protobufjs decodes into half an emoji.
    Buffer.from([0x78, 0xed, 0xa0, 0xbd]),
    Buffer.concat([Buffer.from(`x${emoji.repeat(38)}`), Buffer.from([0xf0, 0x9f, 0x98])]),
    'a'.repeat(mb),
];

/** Fields that can name a program or a file: their values come only from their pools. */
export const protectedFields = new Set([
  'command',
  'argv',
  'working_dir',
  'env_files',
  'stdout',
  'stderr',
  'pidfile',
  'condition_path_exists',
  'runtime_directory',
  'module',
  'user',
  'group',
]);

/** Refused values that cannot name anything: what a protected field gets when it is fuzzed hard. */
const refusedHarmless: Value[] = ['', '\0', 'a\0b', 'a'.repeat(mb), Buffer.from([0x61, 0xff, 0x62])];

export const safeCommands = ['/bin/true', 'true', '/bin/false', 'false', '/bin/echo', 'echo', '/bin/sleep', 'sleep'];

const durations = (maxGood: number): Pool => ({
  good: [0, 1, 10, 100, 250, 500, 1000, 2000, maxGood].filter((n) => n <= maxGood).map(String),
  bad: ['-1', '-1000', String(2 ** 31), String(2 ** 53), '-9223372036854775808', '9223372036854775807', '18446744073709551615'],
});

const counts: Pool = {
  good: ['0', '1', '2', '3', '5', '100', '1000'],
  bad: ['-1', '1001', '65536', '4194305', String(2 ** 31), String(2 ** 53), '-9223372036854775808'],
};

export function poolFor(path: string, ctx: FuzzContext): Pool | undefined {
  const field = path.slice(path.lastIndexOf('.') + 1);
  const parent = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
  const names = [...ctx.names];
  const badNames: Value[] = ['', '../escape', '-dash', 'with space', 'a'.repeat(64), emoji.repeat(40), `x${emoji.repeat(40)}`, 'a/b', '.'];
  const files = (...good: string[]): Pool => ({ good, bad: ['relative/file', 'file', ...refusedHarmless] });
  switch (field) {
    case 'name':
      return { good: names, bad: badNames };
    case 'name_or_id':
      return { good: [...names, ...ctx.ids, ...ctx.ids], bad: ['', 'nobody-here', '00000000-0000-0000-0000-000000000000', ...badNames] };
    case 'after':
    case 'before':
    case 'requires':
    case 'wants':
    case 'binds_to':
    case 'conflicts':
      return { good: names, bad: badNames };
    case 'command':
      return { good: safeCommands, bad: ['/nonexistent/statevisor-fuzz', 'no-such-command-statevisor-fuzz', 'relative/cmd', ...refusedHarmless] };
    case 'argv':
      return { good: [...safeCommands, ctx.markerArg], bad: refusedHarmless };
    case 'args':
      return { good: ['0', '0.01', '0.2', '1', 'hello', '-n', '--', '', ctx.markerArg], bad: [] };
    case 'working_dir':
      return files('/', '/tmp', ctx.dir, `${ctx.dir}/missing`);
    case 'env_files':
      return { ...files(`${ctx.dir}/env/good.env`, `${ctx.dir}/env/garbage.env`, `-${ctx.dir}/env/missing.env`, `${ctx.dir}/env/missing.env`), bad: ['-', 'relative.env', ...refusedHarmless] };
    case 'stdout':
    case 'stderr':
      return files('capture', 'null', 'inherit', '/dev/null', `${ctx.dir}/out/a.log`, `${ctx.dir}/out/b.log`, ctx.dir, `${ctx.dir}/missing/x.log`);
    case 'pidfile':
      return files(`${ctx.dir}/x.pid`);
    case 'condition_path_exists':
      return files(ctx.dir, `!${ctx.dir}/missing`, `${ctx.dir}/missing`);
    case 'runtime_directory':
      return { good: ['statevisor-fuzz', 'a/b'], bad: ['../escape', '/abs', ...refusedHarmless] };
    case 'module':
      return files(`${ctx.dir}/missing-worker.js`);
    case 'user':
      return { good: ['root', 'nobody', '0', '65534'], bad: ['no-such-user-fuzz', 'www data', 'a'.repeat(40), ...refusedHarmless] };
    case 'group':
      return { good: ['root', 'nogroup', 'nobody', '0'], bad: ['no-such-group-fuzz', ...refusedHarmless] };
    case 'umask':
      return { good: ['022', '077', '0777', '0'], bad: ['999', 'abc', '0o22', '-1', '01000'] };
    case 'type':
      return parent.endsWith('health_check')
        ? { good: ['http', 'tcp', 'exec', 'grpc'], bad: ['udp', '', 'HTTP'] }
        : { good: ['simple', 'oneshot'], bad: ['forking', '', 'SIMPLE', 'notify'] };
    case 'policy':
      return { good: ['no', 'never', 'always', 'on-failure', 'on-success'], bad: ['sometimes', '', 'Always', `x${emoji.repeat(40)}`] };
    case 'signal':
      return parent === 'spec.stop'
        ? { good: ['SIGTERM', 'TERM', 'SIGINT', 'SIGHUP', 'SIGKILL', 'SIGQUIT', 'SIGUSR1', '15', '9'], bad: ['SIGBOGUS', '', 'sigterm', '-9', '65', '0x0f', 'SIG'] }
        : { good: ['SIGTERM', 'HUP', 'SIGUSR1', 'SIGSTOP', 'SIGCONT', 'SIGWINCH', '0', '15', '19', '18', 'SIGKILL'], bad: ['SIGBOGUS', '', '-9', '65', '1e3', 'SIGRTMIN+1'] };
    case 'kill_mode':
      return { good: ['control-group', 'process-group', 'process', 'mixed'], bad: ['all', '', 'cgroup'] };
    case 'url':
      return { good: ['http://127.0.0.1:1/', 'http://127.0.0.1:9/healthz', 'https://127.0.0.1:1/'], bad: ['ftp://127.0.0.1/', 'not a url', '', 'http://[::1', 'http://'] };
    case 'method':
      return { good: ['GET', 'HEAD', 'POST'], bad: ['BREW', '', 'GET /'] };
    case 'host':
      return { good: ['127.0.0.1', 'localhost', '::1'], bad: ['', 'no such host', '256.1.1.1'] };
    case 'service':
      return { good: ['', 'statevisor.v1.ProcessManager'], bad: ['x'] };
    case 'kind':
      return parent === 'spec.runtime' ? { good: ['exec', 'worker'], bad: ['wasm', ''] } : { good: ['process', 'supervisor', ''], bad: ['x', 'PROCESS'] };
    case 'format':
      return { good: ['json', 'mermaid', 'scxml', ''], bad: ['yaml', 'x'] };
    case 'export':
      return { good: ['default', 'run'], bad: [''] };
    case 'stream':
      return { good: ['stdout', 'stderr', ''], bad: ['both', 'STDOUT'] };
    case 'label_selector':
      return { good: ['', 'tier=web', 'app=fuzz,tier=web'], bad: ['no-equals', '=', 'a=', `${emoji}=x`, 'a=b,,'] };
    case 'paths':
      return {
        good: ['args', 'restart.policy', 'restart', 'env', 'labels', 'stop.grace_period_ms', 'logs.max_bytes', 'resources.pids', 'health_check', 'description'],
        bad: ['name', 'command', 'nope', '', 'restart.*', 'spec.args', 'restart.policy.x'],
      };
    case 'grace_period_ms':
      // A valid grace is kept short: a stop of a SIGSTOPped process legitimately waits all of it.
      return durations(5000);
    case 'delay_ms':
    case 'max_delay_ms':
    case 'start_limit_interval_ms':
    case 'min_uptime_ms':
    case 'start_timeout_ms':
    case 'timeout_ms':
    case 'start_period_ms':
      return durations(2 ** 31 - 1);
    case 'interval_ms':
      return { good: ['100', '1000', '5000'], bad: durations(0).bad };
    case 'start_limit_burst':
    case 'failure_threshold':
    case 'success_threshold':
    case 'restart_after':
    case 'max_files':
    case 'pids':
    case 'cpu_millis':
      return counts;
    case 'expected_status':
      return { good: ['200', '204', '503'], bad: ['0', '99', '600', '-1'] };
    case 'port':
      return { good: ['1', '9', '65535'], bad: ['0', '65536', '-1', String(2 ** 32)] };
    case 'memory_bytes':
      return { good: [String(mb), String(64 * mb), String(2 ** 40)], bad: ['0', '1', '-1', String(64 * 1024), '9223372036854775807'] };
    case 'max_bytes':
      return { good: ['0', String(64 * 1024), String(mb), String(10 * mb)], bad: ['1', '-1', '9223372036854775807'] };
    case 'success_exit_codes':
      return { good: ['0', '1', '2', '255'], bad: ['256', '-1', String(2 ** 31)] };
    case 'tail_lines':
      return { good: ['0', '1', '10', '100000'], bad: ['100001', '-1', String(2 ** 53)] };
    default:
      return undefined;
  }
}

/** A choice from a pool: good values when `good`, else mostly bad ones and hostile text (never for protected fields). */
export function choose(prng: Prng, path: string, ctx: FuzzContext, good: boolean): Value | undefined {
  const pool = poolFor(path, ctx);
  const field = path.slice(path.lastIndexOf('.') + 1);
  if (pool === undefined) return good ? undefined : prng.pick(hostileStrings);
  if (good || pool.bad.length === 0 || prng.chance(0.2)) return prng.pick(pool.good);
  if (protectedFields.has(field) || prng.chance(0.6)) return prng.pick(pool.bad);
  return prng.pick(hostileStrings);
}
