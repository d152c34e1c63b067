/**
 * `statevisor describe`: the process, its spec in a few readable lines, its counters, what of
 * the spec this daemon does NOT enforce (said loudly: nothing stored is silently ignored), and
 * its recent transitions.
 */
import type { ProcessDescription, ProcessSpecOutput } from '../../client/index.js';
import { formatBytes, formatClock, formatDuration, formatTime } from '../format.js';
import { paint } from '../style.js';
import { commandLine } from './command-line.js';
import { listed, pairs, section, type Row } from './sections.js';

function exitOf(d: ProcessDescription): string {
  const { exitCode, signal } = d.process;
  if (signal) return `killed by ${signal}`;
  return exitCode === undefined ? '-' : `code ${exitCode}`;
}

function healthOf(p: ProcessDescription['process']): string {
  if (p.health === 'UNKNOWN') return '-';
  const failures = p.healthFailures > 0 ? `, ${p.healthFailures} failed in a row` : '';
  return `${p.health}${failures}${p.healthMessage ? ` (${p.healthMessage})` : ''}`;
}

/** A run behind its stored spec says so beside its state, until a restart applies the spec. */
function restartPendingOf(d: ProcessDescription): string {
  const pending = d.restartPendingFields;
  return pending.length > 0 ? `, spec changed, restart pending: ${pending.join(', ')}` : '';
}

function processRows(d: ProcessDescription, now: number): Row[] {
  const p = d.process;
  return [
    ['name', p.name],
    ['id', p.id],
    ['state', `${p.state} (phase ${p.phase.toLowerCase()})${p.waitingFor ? `, waiting for ${p.waitingFor}` : ''}${restartPendingOf(d)}`],
    ['health', healthOf(p)],
    ['pid', p.pid > 0 ? String(p.pid) : '-'],
    ['uptime', p.uptimeMs > 0 ? formatDuration(p.uptimeMs) : '-'],
    ['created', formatTime(p.createdAt, now)],
    ['started', formatTime(p.startedAt, now)],
    ['ended', formatTime(p.endedAt, now)],
    ['last exit', exitOf(d)],
    ['last error', p.lastError || '-'],
    ['command', commandLine(p.command, p.args)],
    ['labels', pairs(p.labels)],
    ['recovery', d.recovery || '-'],
  ];
}

function specRows(spec: ProcessSpecOutput): Row[] {
  const { restart = {}, stop = {}, logs = {}, resources = {} } = spec;
  const ms = (value: number | undefined) => (value === undefined ? '?' : formatDuration(value));
  const rows: Row[] = [
    ['description', spec.description || '-'],
    ['type', `${spec.type ?? 'simple'}, auto start ${spec.autoStart ? 'yes' : 'no'}`],
    [
      'restart',
      `${restart.policy ?? '?'}, delay ${ms(restart.delayMs)} doubling to ${ms(restart.maxDelayMs)}, ` +
        `start limit ${restart.startLimitBurst === 0 ? 'off' : `${restart.startLimitBurst} in ${ms(restart.startLimitIntervalMs)}`}, ` +
        `min uptime ${ms(restart.minUptimeMs)}` +
        (restart.successExitCodes?.length ? `, success codes 0 ${restart.successExitCodes.join(' ')}` : ''),
    ],
    ['stop', `${stop.signal ?? '?'}, SIGKILL after ${ms(stop.gracePeriodMs)}, kill mode ${stop.killMode ?? 'default (see Enforcement)'}`],
    ['env', pairs(spec.env)],
    ['env files', listed(spec.envFiles)],
    ['working dir', spec.workingDir ?? '-'],
    ['user', [spec.user, spec.group].filter(Boolean).join(':') || '-'],
    ['umask', spec.umask ?? '-'],
    [
      'logs',
      `stdout ${logs.stdout ?? '?'}, stderr ${logs.stderr ?? '?'}` +
        (logs.maxBytes ? `, rotate at ${formatBytes(logs.maxBytes)} keeping ${logs.maxFiles ?? '?'}` : ''),
    ],
    ['health check', spec.healthCheck ? `${spec.healthCheck.type} every ${ms(spec.healthCheck.intervalMs)}` : '-'],
  ];
  const limits = [
    resources.cpuMillis !== undefined && `cpu ${resources.cpuMillis}m`,
    resources.memoryBytes !== undefined && `memory ${formatBytes(resources.memoryBytes)}`,
    resources.pids !== undefined && `pids ${resources.pids}`,
  ].filter(Boolean);
  rows.push(['resources', limits.length > 0 ? limits.join(', ') : 'no limits']);
  const dependencies = (['after', 'before', 'requires', 'wants', 'bindsTo', 'conflicts'] as const)
    .filter((key) => spec[key].length > 0)
    .map((key) => `${key} ${spec[key].join(' ')}`);
  if (dependencies.length > 0) rows.push(['dependencies', dependencies.join('; ')]);
  const sockets = spec.sockets ?? [];
  if (sockets.length > 0) {
    // fd 3 onward, in the spec's order: what LISTEN_FDS counts (socket-activation.ts).
    const fds = sockets.map((socket, index) => `${socket.name ?? '?'} ${socket.listen} (fd ${3 + index})`).join(', ');
    rows.push(['sockets', `${fds}; start on ${spec.startOn ?? 'start'}`]);
  }
  return rows;
}

function enforcementLines(d: ProcessDescription, colour: boolean): string {
  if (d.enforcement.length === 0) return 'Enforcement\n  -';
  const mark = (enforced: boolean) => (enforced ? 'enforced    ' : paint('NOT ENFORCED', 'red', colour));
  return ['Enforcement', ...d.enforcement.map((e) => `  ${mark(e.enforced)}  ${e.field}: ${e.detail}`)].join('\n');
}

function transitionLines(d: ProcessDescription): string {
  if (d.recentTransitions.length === 0) return 'Recent transitions\n  -';
  const from = Math.max(...d.recentTransitions.map((t) => (t.from || '-').length));
  const to = Math.max(...d.recentTransitions.map((t) => t.to.length));
  return [
    'Recent transitions',
    ...d.recentTransitions.map((t) => `  ${formatClock(t.at)}  ${(t.from || '-').padEnd(from)} → ${t.to.padEnd(to)}  ${t.reason}`.trimEnd()),
  ].join('\n');
}

export function describeView(d: ProcessDescription, options: { colour: boolean; now?: number }): string {
  const now = options.now ?? Date.now();
  const c = d.counters;
  return [
    section('Process', processRows(d, now)),
    d.spec ? section('Spec', specRows(d.spec)) : 'Spec\n  (not sent by the daemon)',
    section('Counters', [
      ['runs', String(c.runCount)],
      ['restarts', String(c.restartCount)],
      ['errors', String(c.errorCount)],
      ['failures in a row', String(c.failureStreak)],
    ]),
    enforcementLines(d, options.colour),
    transitionLines(d),
  ].join('\n\n');
}
