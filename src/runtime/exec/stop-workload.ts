/**
 * Stopping a workload per kill_mode, as systemd's KillMode= does:
 *   process-group  the stop signal to the whole group; wait until the group is gone
 *   control-group  as process-group until cgroups come (reported as such by the daemon)
 *   process        the stop signal to the main process only; the rest of its group is left alone
 *   mixed          the stop signal to the main process; SIGKILL to the group once it is gone
 * What is left when the grace period ends is SIGKILLed by `killRemains` in the terminated phase.
 */
import type { KillMode } from '../../spec/types.js';
import { signalGroup, signalProcess, waitForGroupExit } from '../os/process-group.js';
import type { WorkloadHandle } from './child-handle.js';

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
): Promise<void> {
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
export async function killRemains(handle: WorkloadHandle, killMode: KillMode, abort: AbortSignal): Promise<void> {
  if (killMode === 'process') {
    if (handle.alive) signalProcess(handle.pid, 'SIGKILL');
    await abortable(handle.exited, abort);
    return;
  }
  signalGroup(handle.pgid, 'SIGKILL');
  await abortable(handle.exited, abort);
  await waitForGroupExit(handle.pgid, { signal: abort });
}
