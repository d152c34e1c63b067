/**
 * What a daemon does with what the previous one left: every stored definition comes back, and
 * every workload the previous daemon spawned is found (by its recorded pid + start time, or by the
 * marker in its environment when the crash came before the record). Then, per process:
 *
 *   survivor, desired running   adopted: watched until it exits, its stop still works
 *   survivor, desired stopped   stopped: it was meant to be down (SIGTERM, then SIGKILL)
 *   survivor of no definition   stopped: a deleted process must not run unmanaged
 *   gone, desired running       started again if its policy restarts failures (always,
 *                               on-failure): its exit went unseen, so it counts as one
 *
 * So no workload runs twice (a survivor is adopted, never spawned again) and none runs unmanaged.
 */
import type { Logger } from '../manager/logger.js';
import { signalGroup } from '../runtime/os/process-group.js';
import { findSurvivors, type Survivor } from '../runtime/exec/survivors.js';
import { validateSpec } from '../spec/validate.js';
import type { StoredState } from './persistence.js';
import type { Supervision } from './supervision.js';

const strayGraceMs = 5_000;

function stopStray(survivor: Survivor): void {
  signalGroup(survivor.pgid, 'SIGTERM');
  setTimeout(() => signalGroup(survivor.pgid, 'SIGKILL'), strayGraceMs).unref();
}

export function recover(supervision: Supervision, state: StoredState, stateDir: string, logger: Logger): void {
  const survivors = new Map<string, Survivor>();
  for (const survivor of findSurvivors(stateDir)) {
    const run = state.runs[survivor.processId];
    const known = survivors.get(survivor.processId);
    // The recorded run wins over any other marked leader of the same process.
    if (!known || (run && run.pid === survivor.pid && run.startTime === survivor.startTime)) {
      if (known) stopStray(known);
      survivors.set(survivor.processId, survivor);
    } else {
      stopStray(survivor);
    }
  }

  for (const record of Object.values(state.processes)) {
    let spec;
    try {
      spec = validateSpec(record.spec);
    } catch (error) {
      logger.error({ id: record.id, reason: (error as Error).message }, 'stored process no longer validates; kept out of service');
      continue;
    }
    const entry = { id: record.id, spec, createdAt: record.createdAt, source: record.source, desired: record.desired };
    supervision.restore(entry);
    const survivor = survivors.get(record.id);
    survivors.delete(record.id);
    const run = state.runs[record.id];
    if (survivor && record.desired === 'running') {
      const startedAt = run && run.pid === survivor.pid ? run.startedAt : Date.now();
      supervision.exec.adopt(record.id, survivor, startedAt);
      supervision.resume(entry);
      supervision.noteRecovery(record.id, `adopted pid ${survivor.pid}, still running after the daemon restarted`);
    } else if (survivor) {
      stopStray(survivor);
      supervision.noteRecovery(record.id, `stopped pid ${survivor.pid}: it outlived the daemon but the process is meant to be stopped`);
    } else if (record.desired === 'running' && run) {
      if (spec.restart.policy === 'always' || spec.restart.policy === 'on-failure') {
        supervision.resume(entry);
        supervision.noteRecovery(record.id, `started again: pid ${run.pid} ended while the daemon was down`);
      } else {
        supervision.noteRecovery(
          record.id,
          `not started: pid ${run.pid} ended while the daemon was down, and restart policy '${spec.restart.policy}' does not restart it`,
        );
      }
    } else if (record.desired === 'running') {
      supervision.resume(entry);
      supervision.noteRecovery(record.id, 'started: it was meant to be running when the daemon stopped');
    }
  }

  for (const stray of survivors.values()) {
    stopStray(stray);
    logger.warn({ pid: stray.pid, id: stray.processId }, 'stopped a workload whose process no longer exists');
  }
}
