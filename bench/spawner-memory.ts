/**
 * The daemon's spawner (src/runtime/exec/spawner-process.ts), a child of the daemon process: its
 * RSS is reported beside the daemon's, since the two together are what children cost to start.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { memoryOf, type Memory } from './memory.js';

/** The spawner the daemon `daemonPid` runs, if it runs one (none with --no-spawner, or before a spawn). */
export function spawnerMemoryOf(daemonPid: number): Memory | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== daemonPid) continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('spawner-process.js')) return memoryOf(Number(name));
    } catch {
      // Gone while we looked.
    }
  }
  return undefined;
}
