/** `statevisor status`: the daemon itself, and what it does not do yet. */
import type { DaemonStatus } from '../../client/index.js';
import { formatBytes, formatDuration } from '../format.js';
import { listed, section } from './sections.js';

export function statusView(s: DaemonStatus): string {
  const counts = Object.entries(s.countsByState)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${state}`);
  return section(`statevisor ${s.version}`, [
    ['pid', String(s.pid)],
    ['uptime', formatDuration(s.uptimeMs)],
    ['processes', `${s.processCount}${counts.length > 0 ? ` (${counts.join(', ')})` : ''}`],
    ['work queue', String(s.workQueueDepth)],
    ...s.listeners.map((l) => ['listening', `${l.kind} ${l.address}`] as const),
    ['state dir', s.stateDir || '-'],
    ['config', s.configPath || '-'],
    ['memory', `${formatBytes(s.rssBytes)} resident`],
    ['event loop lag', `p50 ${s.eventLoopLagP50Ms.toFixed(1)} ms, p99 ${s.eventLoopLagP99Ms.toFixed(1)} ms`],
    ['log rotations', `${s.logRotations}${s.logBytesLost > 0 ? `, ${formatBytes(s.logBytesLost)} of output lost (not writable)` : ''}`],
    ['restart rate', restartRate(s)],
    ['uncaught errors', s.uncaughtErrors === 0 ? '0' : `${s.uncaughtErrors} (logged with their stacks; the daemon kept running)`],
    ['not implemented', listed(s.unimplementedRpcs)],
  ]);
}

/** "100/s daemon-wide, 3,120 restarts waited for it, 12 waiting now" */
function restartRate(s: DaemonStatus): string {
  const limit = s.restartRateLimit > 0 ? `${s.restartRateLimit}/s daemon-wide` : 'no limit';
  const waited = s.restartsDelayed > 0 ? `, ${s.restartsDelayed} restarts waited for it` : '';
  const waiting = s.restartsWaiting > 0 ? `, ${s.restartsWaiting} waiting now` : '';
  return `${limit}${waited}${waiting}`;
}
