/**
 * The systemd unit that runs this daemon, as text: a pure function of where node and statevisor
 * are, the daemon's flags, and whether the daemon can tell systemd it is ready. Each setting is
 * there for something this daemon does (the comments in the unit say what), not copied from a
 * generic template:
 *
 * - Type=notify with NotifyAccess=all when systemd-notify is installed: Node has no Unix datagram
 *   socket, so the daemon runs that helper (src/server/service-notify.ts) once it answers on its
 *   socket; else Type=simple, and systemd calls the daemon started as soon as it is spawned.
 * - Delegate=yes: the daemon makes a cgroup per process below its own.
 * - KillMode=process: systemd signals the daemon alone, which stops its processes itself, each
 *   with its own signal and grace period; a daemon that crashed or was killed leaves them running,
 *   and the daemon Restart=always starts again adopts them.
 * - TimeoutStopSec= from the daemon's shutdown deadline (src/deadlines.ts).
 * - RuntimeDirectory=/StateDirectory= when the socket is in a directory of its own under /run and
 *   the state dir under /var/lib, as the defaults are: systemd makes them before the start.
 */
import path from 'node:path';
import { daemonNodeFlags } from '../../node-flags.js';
import { StatevisorError } from '../../errors.js';
import { deadlines, serviceStopTimeoutMs } from '../../deadlines.js';

export interface DaemonFlags {
  readonly socket: string;
  readonly stateDir: string;
  readonly config?: string;
  readonly tcp?: string;
  readonly tokenFile?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly tlsClientCa?: string;
}

export interface UnitOptions extends DaemonFlags {
  /** The node that runs statevisor (absolute). */
  readonly node: string;
  /** statevisor's bin script, its real path (absolute). */
  readonly statevisor: string;
  /** Whether the daemon can send READY=1 (systemd-notify is installed): Type=notify, else Type=simple. */
  readonly notify: boolean;
  /** For the header line. */
  readonly version: string;
}

/** The files the daemon reads at start, by the flag that names them. */
export function daemonFiles(flags: DaemonFlags): [string, string][] {
  const files: [string, string | undefined][] = [
    ['--config', flags.config],
    ['--token-file', flags.tokenFile],
    ['--tls-cert', flags.tlsCert],
    ['--tls-key', flags.tlsKey],
    ['--tls-client-ca', flags.tlsClientCa],
  ];
  return files.filter((entry): entry is [string, string] => entry[1] !== undefined);
}

/** The daemon's flags, in the order `statevisor daemon --help` lists them. */
export function daemonArgs(flags: DaemonFlags): string[] {
  const files = daemonFiles(flags);
  const config = files.filter(([flag]) => flag === '--config');
  const credentials = files.filter(([flag]) => flag !== '--config');
  const tcp = flags.tcp === undefined ? [] : ['--tcp', flags.tcp];
  return ['--socket', flags.socket, '--state-dir', flags.stateDir, ...config.flat(), ...tcp, ...credentials.flat()];
}

/**
 * One word of an Exec*= line: `%` starts a specifier everywhere, and `$` a variable in the
 * arguments (not in the executable's path, which systemd takes literally), so they are doubled; a
 * word with a space, a quote, a backslash or a `;` (a lone `;` separates commands) is
 * double-quoted with C escapes. A newline cannot be written at all.
 */
export function execWord(word: string, { executable = false } = {}): string {
  if (/[\n\r]/.test(word)) throw new StatevisorError('E_INVALID_ARGUMENT', `a line break cannot be written in a unit's command line: ${JSON.stringify(word)}`);
  const specifiers = word.replaceAll('%', '%%');
  const escaped = executable ? specifiers : specifiers.replaceAll('$', '$$$$');
  if (word !== '' && !/[\s"'\\;]/.test(word)) return escaped;
  return `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function execLine(words: readonly string[]): string {
  return words.map((word, at) => execWord(word, { executable: at === 0 })).join(' ');
}

/** `sub` below `root` as a relative path, or undefined when it is not strictly below it. */
function below(root: string, sub: string): string | undefined {
  const relative = path.relative(root, sub);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? undefined : relative;
}

/**
 * RuntimeDirectory= only for a directory of its own directly in /run: systemd removes it when the
 * unit stops, so a deeper one (/run/user/0/…) could take a directory others use with it.
 * StateDirectory= is never removed: any directory below /var/lib.
 */
export function unitDirectories(socket: string, stateDir: string): { runtime?: string; state?: string } {
  const runtime = below('/run', path.dirname(socket));
  const state = below('/var/lib', stateDir);
  return {
    ...(runtime !== undefined && !runtime.includes('/') && { runtime }),
    ...(state !== undefined && { state }),
  };
}

export function systemdUnit(options: UnitOptions): string {
  const command = [options.node, options.statevisor];
  const stopSecs = Math.ceil(serviceStopTimeoutMs() / 1000);
  const dirs = unitDirectories(options.socket, options.stateDir);
  const lines = [
    `# Written by \`statevisor startup systemd\` (statevisor ${options.version}); write it again rather than edit it.`,
    '[Unit]',
    'Description=statevisor process supervisor',
    'After=network.target',
    '',
    '[Service]',
    ...(options.notify
      ? [
          '# The daemon says READY=1 once it answers on its socket, through systemd-notify (Node has no',
          '# datagram socket to send it itself): the helper is not the main process, hence NotifyAccess=all.',
          'Type=notify',
          'NotifyAccess=all',
        ]
      : ['# systemd-notify was not found when this unit was written: systemd cannot be told when the daemon is ready.', 'Type=simple']),
    // The daemon's Node flags (src/node-flags.ts), which the executable's first line gives it when run directly.
    `ExecStart=${execLine([options.node, ...daemonNodeFlags, options.statevisor, 'daemon', ...daemonArgs(options)])}`,
    '# Re-reads --config (and what else `statevisor reload` re-reads).',
    `ExecReload=${execLine([...command, '--socket', options.socket, 'reload'])}`,
    'Restart=always',
    "# The daemon makes a cgroup per process below its own; without delegation systemd may move them back.",
    'Delegate=yes',
    '# SIGTERM reaches the daemon alone: it stops its processes itself, in dependency order, each with',
    '# its stop signal and grace period. A daemon that crashed or was killed leaves them running, and',
    '# the daemon started again adopts them.',
    'KillMode=process',
    `# The daemon's shutdown with grace periods up to ${deadlines.assumedGraceMs / 1000} s, and a margin: a process with a longer grace`,
    '# period needs more (when it runs out, systemd kills the daemon alone; its processes are adopted).',
    `TimeoutStopSec=${stopSecs}`,
    ...(dirs.runtime === undefined ? [] : [`RuntimeDirectory=${dirs.runtime}`]),
    ...(dirs.state === undefined ? [] : [`StateDirectory=${dirs.state}`, 'StateDirectoryMode=0700']),
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ];
  return lines.join('\n');
}
