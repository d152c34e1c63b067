/**
 * Stopping a workload per kill_mode, as systemd's KillMode= does:
 *   process-group  the stop signal to the whole group; wait until the group is gone
 *   control-group  the stop signal to every process in the process's cgroup, wherever it moved
 *                  (its own session or group included); wait until the cgroup is empty. Without
 *                  a cgroup (none on this machine), as process-group, and Describe says so.
 *   process        the stop signal to the main process only; the rest of its group is left alone
 *   mixed          the stop signal to the main process; SIGKILL to the group once it is gone
 * What is left when the grace period ends is SIGKILLed by `killRemains` in the terminated phase.
 */
import type { KillMode } from '../../spec/types.js';
import { signalGroup, signalProcess, waitForGroupExit } from '../os/process-group.js';
import { setTimeout as delay } from 'node:timers/promises';
import type { ProcessCgroup } from '../resources/index.js';
import type { WorkloadHandle } from './child-handle.js';

/**
 * Groups seen empty once their main process had exited. An empty cgroup stays empty (a fork
 * inherits its parent's group, and only a start writes into it, with a new ProcessCgroup), so
 * the terminated phase has nothing left to kill in them and need not read them again.
 */
const emptied = new WeakSet<ProcessCgroup>();

/** A member that left the process group is still in the cgroup: poll its procs until none is. */
async function waitForEmptyGroup(cgroup: ProcessCgroup, abort: AbortSignal): Promise<void> {
  while ((await cgroup.procs()).length > 0) {
    if (abort.aborted) throw abort.reason;
    await delay(groupPollMs);
  }
  emptied.add(cgroup);
}

const groupPollMs = 20;

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Send the stop signal and wait for what kill_mode says must end; abort at the grace period's end. */
export async function stopWorkload(
  handle: WorkloadHandle,
  killMode: KillMode,
  stopSignal: NodeJS.Signals,
  abort: AbortSignal,
  cgroup?: ProcessCgroup,
): Promise<void> {
  if (killMode === 'control-group' && cgroup !== undefined) {
    await cgroup.signalAll(stopSignal);
    await abortable(handle.exited, abort);
    await waitForEmptyGroup(cgroup, abort);
    return;
  }
  const mainOnly = killMode === 'process' || killMode === 'mixed';
  if (mainOnly) {
    if (handle.alive) signalProcess(handle.pid, stopSignal);
    await abortable(handle.exited, abort);
    if (killMode === 'mixed') signalGroup(handle.pgid, 'SIGKILL');
    return;
  }
  // Leftovers of a workload that exited by itself still get the stop signal first.
  signalGroup(handle.pgid, stopSignal);
  await abortable(handle.exited, abort);
  await waitForGroupExit(handle.pgid, { signal: abort });
}

/** The terminated phase: SIGKILL whatever kill_mode covers and is still there, then wait for the reap. */
export async function killRemains(
  handle: WorkloadHandle,
  killMode: KillMode,
  abort: AbortSignal,
  cgroup?: ProcessCgroup,
): Promise<void> {
  if (killMode === 'control-group' && cgroup !== undefined) {
    if (emptied.has(cgroup)) return;
    const killed = await cgroup.signalAll('SIGKILL');
    await abortable(handle.exited, abort);
    // Nothing to kill means the group was empty, and so it stays.
    if (killed.length > 0) await waitForEmptyGroup(cgroup, abort);
    return;
  }
  if (killMode === 'process') {
    if (handle.alive) signalProcess(handle.pid, 'SIGKILL');
    await abortable(handle.exited, abort);
    return;
  }
  signalGroup(handle.pgid, 'SIGKILL');
  await abortable(handle.exited, abort);
  await waitForGroupExit(handle.pgid, { signal: abort });
}
