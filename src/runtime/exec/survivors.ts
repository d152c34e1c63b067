/**
 * Finding the workloads a previous daemon left running. Every child is spawned with
 * STATEVISOR_PROCESS_ID and STATEVISOR_STATE_DIR in its environment; /proc/<pid>/environ keeps
 * the environment a process was started with, so a group leader carrying our state dir is ours
 * even when the daemon died before it could record the run.
 */
import { readFileSync } from 'node:fs';
import { listProcesses, readProcStat } from '../os/proc-stat.js';

import { processIdEnv, stateDirEnv } from '../../spec/markers.js';

export { processIdEnv, stateDirEnv };

export interface Survivor {
  readonly processId: string;
  readonly pid: number;
  readonly pgid: number;
  readonly startTime: number;
}

function environOf(pid: number): Map<string, string> | undefined {
  try {
    const entries = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
    const env = new Map<string, string>();
    for (const entry of entries) {
      const eq = entry.indexOf('=');
      if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
    }
    return env;
  } catch {
    // Gone, or not ours to read.
    return undefined;
  }
}

/** Running group leaders spawned for `stateDir`, by process id (one per id: the oldest wins). */
export function findSurvivors(stateDir: string): Survivor[] {
  const found: Survivor[] = [];
  for (const pid of listProcesses()) {
    if (pid === process.pid) continue;
    const stat = readProcStat(pid);
    if (!stat || stat.pgid !== pid || stat.state === 'Z') continue;
    const env = environOf(pid);
    const processId = env?.get(processIdEnv);
    if (processId === undefined || env?.get(stateDirEnv) !== stateDir) continue;
    found.push({ processId, pid, pgid: stat.pgid, startTime: stat.startTimeTicks });
  }
  return found.sort((a, b) => a.startTime - b.startTime);
}
