/**
 * Finding what a previous daemon left running. Every child is spawned with STATEVISOR_PROCESS_ID
 * and STATEVISOR_STATE_DIR in its environment, and everything it starts inherits them;
 * /proc/<pid>/environ keeps the environment a process was started with, so a process carrying
 * our state dir is ours even when the daemon died before it could record the run, and even when
 * it left its process group and session. (Where cgroups exist its group says the same, even for
 * a descendant that cleared its environment: see WorkloadResources.leftovers.)
 */
import { readFileSync } from 'node:fs';
import { hasExited, listProcesses, readProcStat } from '../os/proc-stat.js';
import type { ProcessIdentity } from './stray-stop.js';

import { legacyStateDirEnv, processIdEnv, stateDirEnv } from '../../spec/markers.js';

export { processIdEnv, stateDirEnv };

/** A live process carrying this daemon's marker. */
export interface MarkedProcess extends ProcessIdentity {
  readonly processId: string;
  readonly comm: string;
}

/** The main workload of a run: a group leader (every child is spawned as one). */
export type Survivor = MarkedProcess;

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

/** The process id whose marker `pid` carries for the daemon of `stateDir`, if it carries one. */
export function markOf(pid: number, stateDir: string): string | undefined {
  const env = environOf(pid);
  const processId = env?.get(processIdEnv);
  if (processId === undefined || (env?.get(stateDirEnv) ?? env?.get(legacyStateDirEnv)) !== stateDir) return undefined;
  return processId;
}

/** Every live process spawned for `stateDir` or started by one, oldest first. */
export function findMarked(stateDir: string): MarkedProcess[] {
  const found: MarkedProcess[] = [];
  for (const pid of listProcesses()) {
    if (pid === process.pid) continue;
    const stat = readProcStat(pid);
    if (!stat || hasExited(stat)) continue;
    const processId = markOf(pid, stateDir);
    if (processId === undefined) continue;
    found.push({ processId, pid, pgid: stat.pgid, startTime: stat.startTimeTicks, comm: stat.comm });
  }
  return found.sort((a, b) => a.startTime - b.startTime);
}
