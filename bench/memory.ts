/**
 * A process's resident memory from /proc/<pid>/status: VmRSS now and VmHWM, the peak since it
 * started; and the CPU time it has used, from /proc/<pid>/stat. Read from outside, so the
 * daemon's figure is the daemon's alone.
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

/** User plus system CPU time of the process (its threads included, its children not), in ms. */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name; utime and stime are the 14th and 15th fields of the line.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / clockTicksPerSecond;
}

/** USER_HZ: 100 on every Linux architecture Node runs on. */
const clockTicksPerSecond = 100;
