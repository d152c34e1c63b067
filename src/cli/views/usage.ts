/** `statevisor usage`: what one process uses. */
import type { ResourceUsage } from '../../client/index.js';
import { formatBytes, formatDuration } from '../format.js';
import { section } from './sections.js';

export function usageView(name: string, u: ResourceUsage): string {
  return section(name, [
    ['cpu', `${u.cpuPercent.toFixed(1)}% (user ${formatDuration(u.cpuUserUs / 1000)}, system ${formatDuration(u.cpuSystemUs / 1000)})`],
    ['memory', `${formatBytes(u.rssBytes)} resident${u.memoryLimitBytes > 0 ? ` of ${formatBytes(u.memoryLimitBytes)}` : ', no limit'}`],
    ['pids', String(u.pids)],
    ['open files', String(u.fds)],
    ['io', `read ${formatBytes(u.ioReadBytes)}, written ${formatBytes(u.ioWriteBytes)}`],
    ['source', u.source],
  ]);
}
