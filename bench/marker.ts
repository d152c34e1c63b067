/**
 * Every process the benchmark starts, directly or through the daemon, carries a marker argument
 * (`sleep 3600.<marker>`), so that the end of the run can find and kill whatever survived it by
 * scanning /proc, without touching anybody else's processes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';

export function newMarker(): string {
  return `${randomInt(100_000, 999_999)}${randomInt(100_000, 999_999)}`;
}

/** The argument that carries the marker: also a valid `sleep` duration of about an hour. */
export function markerArg(marker: string): string {
  return `3600.${marker}`;
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** Live (non-zombie) pids whose command line contains the marker; this process excluded. */
export function pidsWithMarker(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker) && !isZombie(Number(name))) found.push(Number(name));
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** SIGKILL every process carrying the marker; returns their pids. */
export function killMarked(marker: string): number[] {
  const pids = pidsWithMarker(marker);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return pids;
}
