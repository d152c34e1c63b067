/**
 * What a daemon does with what the previous one left: every stored definition comes back, and
 * every process the previous daemon's runs left is found — by the marker every child and its
 * descendants carry in their environment, and where cgroups exist by the group of its process.
 * The main workload of a run is the recorded one (pid + start time), or, when the crash came
 * before the record, the oldest marked group leader. Then, per process:
 *
 *   main survives, desired running   adopted, with everything it started: sessions it setsid'd
 *                                    (an sshd's logins, a tmux server) are its own business, as
 *                                    they were while the old daemon ran; its stop reaches them
 *                                    as its kill mode says
 *   main survives, desired stopped   stray: stopped (it was meant to be down)
 *   main gone, leftovers remain      stray: stopped (nothing adopted answers for them), then
 *                                    the process is started again as below, once they are gone
 *   gone, desired running            started again if its policy restarts failures (always,
 *                                    on-failure): its exit went unseen, so it counts as one
 *   no definition                    stray: stopped (a deleted process must not run unmanaged)
 *
 * So no workload runs twice (a survivor is adopted, never spawned again; leftovers are gone
 * before a new run starts), none runs unmanaged, and nothing of an adopted workload is killed.
 * A stray is stopped by identity, re-checked before each signal (runtime/exec/stray-stop.ts);
 * each signal is logged, and Describe's `recovery` says what was stopped and why.
 */
import type { Logger } from '../manager/logger.js';
import { systemClock } from '../manager/clock.js';
import { findMarked, type MarkedProcess } from '../runtime/exec/survivors.js';
import { liveIdentity, stopStray, strayEffects, type ProcessIdentity, type StrayOutcome } from '../runtime/exec/stray-stop.js';
import type { WorkloadResources } from '../runtime/exec/workload-resources.js';
import { readProcStat } from '../runtime/os/proc-stat.js';
import { specDefaults } from '../spec/defaults.js';
import type { ProcessSpec } from '../spec/types.js';
import { validateSpec } from '../spec/validate.js';
import type { RunRecord, StoredState } from './persistence.js';
import type { ProcessEntry } from './process-table.js';
import type { Survivor } from '../runtime/exec/survivors.js';

/** Everything of one process id a previous daemon left running. */
interface Leftover {
  /** Those carrying the marker: the main workload is among their group leaders. */
  readonly marked: MarkedProcess[];
  /** Marked or in its cgroup, by pid. */
  readonly members: Map<number, ProcessIdentity & { readonly comm: string }>;
}

async function findLeftovers(stateDir: string, resources: WorkloadResources | undefined): Promise<Map<string, Leftover>> {
  const leftovers = new Map<string, Leftover>();
  // Called only to add a member: no leftover is ever empty.
  const of = (id: string): Leftover => {
    let leftover = leftovers.get(id);
    if (leftover === undefined) leftovers.set(id, (leftover = { marked: [], members: new Map() }));
    return leftover;
  };
  for (const marked of findMarked(stateDir)) {
    of(marked.processId).marked.push(marked);
    of(marked.processId).members.set(marked.pid, marked);
  }
  for (const [id, pids] of (await resources?.leftovers()) ?? []) {
    for (const pid of pids) {
      const identity = liveIdentity(pid);
      if (identity !== undefined) of(id).members.set(pid, { ...identity, comm: readProcStat(pid)?.comm ?? '?' });
    }
  }
  return leftovers;
}

/**
 * The run's main workload: the recorded one if it still runs (a group leader, or for type forking
 * whatever its pidfile named: a double fork's daemon leads no group); without a record, the
 * oldest leader.
 */
function mainOf(leftover: Leftover | undefined, run: RunRecord | undefined): MarkedProcess | undefined {
  if (run !== undefined) return leftover?.marked.find((m) => m.pid === run.pid && m.startTime === run.startTime);
  return leftover?.marked.find((m) => m.pid === m.pgid);
}

function listed(members: Iterable<ProcessIdentity & { comm: string }>): string {
  return [...members].map((m) => `pid ${m.pid} (${m.comm})`).join(', ');
}

/** What recovery asks of the daemon, handed over by the composition root. */
export interface RecoveryTarget {
  /** Add a stored definition (no write: it is already durable). */
  restore(entry: ProcessEntry): void;
  /** The next run of `id` takes over this survivor instead of spawning. */
  adopt(id: string, survivor: Survivor, startedAt: number): void;
  /** Begin a run of a restored process. */
  resume(entry: ProcessEntry): void;
  /** What recovery did with a process: logged, and shown by Describe. */
  noteRecovery(id: string, what: string): void;
  /** The process is still defined and meant to be running (a delete or stop may have come since). */
  wantsRunning(id: string): boolean;
}

export async function recover(
  target: RecoveryTarget,
  state: StoredState,
  stateDir: string,
  logger: Logger,
  resources?: WorkloadResources,
): Promise<void> {
  const leftovers = await findLeftovers(stateDir, resources);
  const effects = strayEffects(systemClock, (fields, message) => logger.warn(fields, message));
  const stop = (id: string, leftover: Leftover, reason: string, spec?: ProcessSpec): Promise<StrayOutcome> =>
    stopStray(
      {
        processId: id,
        ...(spec !== undefined && { name: spec.name }),
        reason,
        members: [...leftover.members.values()],
        signal: (spec?.stop.signal ?? specDefaults.stop.signal) as NodeJS.Signals,
        graceMs: spec?.stop.gracePeriodMs ?? specDefaults.stop.gracePeriodMs,
      },
      effects,
    );

  for (const record of Object.values(state.processes)) {
    const leftover = leftovers.get(record.id);
    leftovers.delete(record.id);
    let spec: ProcessSpec;
    try {
      spec = validateSpec(record.spec);
    } catch (error) {
      logger.error({ id: record.id, reason: (error as Error).message }, 'stored process no longer validates; kept out of service');
      if (leftover) void stop(record.id, leftover, 'its stored definition no longer validates');
      continue;
    }
    const entry = { id: record.id, spec, createdAt: record.createdAt, source: record.source, desired: record.desired };
    target.restore(entry);
    const run = state.runs[record.id];
    const main = mainOf(leftover, run);
    if (main && record.desired === 'running') {
      // A main found with a record is the recorded run itself (mainOf): it keeps its start time.
      const startedAt = run !== undefined ? run.startedAt : Date.now();
      target.adopt(record.id, main, startedAt);
      target.resume(entry);
      const others = leftover!.members.size - 1;
      const left = others === 0 ? '' : `; ${others} other process${others === 1 ? '' : 'es'} of it left running`;
      target.noteRecovery(record.id, `adopted pid ${main.pid}, still running after the daemon restarted${left}`);
      continue;
    }
    const notes: string[] = [];
    let stopped: Promise<unknown> = Promise.resolve();
    if (leftover) {
      const reason =
        record.desired === 'running'
          ? 'its main process ended while the daemon was down'
          : 'it outlived the daemon but the process is meant to be stopped';
      notes.push(`stopped ${listed(leftover.members.values())}: ${reason}`);
      stopped = stop(record.id, leftover, reason, spec);
    }
    // A new run begins once the leftovers are gone: never two of it at once, in one cgroup.
    const resume = () =>
      void stopped.then(() => {
        if (target.wantsRunning(record.id)) target.resume(entry);
      });
    if (record.desired === 'running' && run) {
      if (spec.restart.policy === 'always' || spec.restart.policy === 'on-failure') {
        resume();
        notes.push(`started again: pid ${run.pid} ended while the daemon was down`);
      } else {
        notes.push(`not started: pid ${run.pid} ended while the daemon was down, and restart policy '${spec.restart.policy}' does not restart it`);
      }
    } else if (record.desired === 'running') {
      resume();
      notes.push('started: it was meant to be running when the daemon stopped');
    }
    if (notes.length > 0) target.noteRecovery(record.id, notes.join('; '));
  }

  for (const [id, leftover] of leftovers) {
    const reason = `its process ${id} no longer exists`;
    logger.warn({ processId: id, pids: [...leftover.members.keys()], reason }, 'recovery: stopping what a deleted process left running');
    void stop(id, leftover, reason);
  }
}
