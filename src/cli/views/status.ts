/** `statevisor status`: the daemon itself, and what it does not do yet. */
import type { DaemonStatus } from '../../client/index.js';
import { formatDuration } from '../format.js';
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
    ['not implemented', listed(s.unimplementedRpcs)],
  ]);
}
