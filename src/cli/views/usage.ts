/** `statevisor usage`: what one process uses. */
import type { ResourceUsage } from '../../client/index.js';
import { formatBytes, formatDuration } from '../format.js';
import { section } from './sections.js';

const sourceText: Record<ResourceUsage['source'], string> = {
  cgroup: 'cgroup (the whole tree)',
  proc: '/proc (every process of its session)',
  worker: 'worker thread (CPU: its event loop\'s busy time; memory: its V8 heap)',
};

export function usageView(name: string, u: ResourceUsage): string {
  return section(name, [
    ['cpu', `${u.cpuPercent.toFixed(1)}% (user ${formatDuration(u.cpuUserUs / 1000)}, system ${formatDuration(u.cpuSystemUs / 1000)})`],
    ['cpu limit', u.cpuLimitMillis > 0 ? `${u.cpuLimitMillis}m (${(u.cpuLimitMillis / 10).toFixed(0)}% of a core)` : 'none'],
    u.source === 'worker'
      ? ['memory', `${formatBytes(u.rssBytes)} JS heap in use${u.memoryLimitBytes > 0 ? ` (heap cap ${formatBytes(u.memoryLimitBytes)})` : ', no limit'}`]
      : ['memory', `${formatBytes(u.rssBytes)} resident${u.cgroupMemoryBytes > 0 ? `, ${formatBytes(u.cgroupMemoryBytes)} charged to the cgroup` : ''}${u.memoryLimitBytes > 0 ? ` of ${formatBytes(u.memoryLimitBytes)}` : ', no limit'}`],
    ['pids', `${u.pids}${u.pidsLimit > 0 ? ` of ${u.pidsLimit}` : ''}`],
    ['open files', String(u.fds)],
    ['io', `read ${formatBytes(u.ioReadBytes)}, written ${formatBytes(u.ioWriteBytes)}`],
    ['source', sourceText[u.source]],
    ...u.limits.filter((l) => !l.enforced).map((l) => ['not enforced', `${l.field}: ${l.detail}`] as [string, string]),
  ]);
}
