/** One line per WatchEvents event: "14:02:11.042  web  transition  starting → syncing  (exec ok)". */
import type { ProcessEvent } from '../../client/index.js';
import { formatClock } from '../format.js';

export function eventLine(e: ProcessEvent): string {
  const parts = [formatClock(e.at), e.process?.name ?? '-', e.type];
  if (e.from || e.to) parts.push(`${e.from || '-'} → ${e.to || '-'}`);
  else if (e.process) parts.push(e.process.state);
  if (e.reason) parts.push(`(${e.reason})`);
  return parts.join('  ');
}
