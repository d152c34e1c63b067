/**
 * A process's resident memory from /proc/<pid>/status: VmRSS now and VmHWM, the peak since it
 * started. Read from outside, so the daemon's figure is the daemon's alone.
 */
import { readFileSync } from 'node:fs';

export interface Memory {
  readonly rssMb: number;
  readonly peakMb: number;
}

function fieldKb(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!match) throw new Error(`/proc status has no ${field}`);
  return Number(match[1]);
}

export function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rssMb: fieldKb(status, 'VmRSS') / 1024, peakMb: fieldKb(status, 'VmHWM') / 1024 };
}
