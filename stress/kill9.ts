/**
 * The kill -9 stage: clients create, update, delete, start and stop processes against a real
 * daemon in its own process; the daemon is SIGKILLed at a random moment and started again on
 * the same state dir; what it then holds is checked against what it had acknowledged.
 *
 * Each client works on names of its own, so that one model per name says what is true: the
 * acknowledged state, plus the call in flight when the daemon died (durable or not, both are
 * allowed). After each restart, once nothing is in transition any more (or 30 s passed):
 *   lost             a name whose existence, label `v` or desired state (running or not)
 *                    is neither the acknowledged one nor the in-flight one
 *   duplicates       names or ids listed more than once
 *   running_twice    process ids with more than one live process (each runs a lone `sleep`)
 *   unmanaged        live marked processes that no definition accounts for: no such process,
 *                    or the daemon does not report that pid as its running one
 * All four must be 0, and every restart must settle within 30 s. 20 cycles of 4 clients, 3 with --short. The seed makes the schedule of calls
 * and kills repeatable.
 */
import { delay } from '../bench/concurrency.js';
import { isUnavailable, type Process, type StatevisorClient } from '../src/client/index.js';
import type { DaemonPlace, DaemonUnderTest } from './daemon.js';
import type { StressOptions } from './options.js';
import { Prng } from './prng.js';
import type { StressRun, StressStage } from './stage.js';

const stageName = 'kill9';
const clients = 4;

/** What one name should be: absent, or present with a label `v` and a desired state. */
interface Model {
  readonly exists: boolean;
  readonly version: string;
  readonly running: boolean;
}

interface Tracked {
  acked: Model;
  /** The model if the call in flight when the daemon died took effect. */
  inFlight?: Model;
}

const absent: Model = { exists: false, version: '', running: false };
const namesPerClient = 6;
const settleMs = 30_000;
const activeStates = new Set(['RUNNING', 'STARTING', 'BACKOFF']);
const settledStates = new Set(['RUNNING', 'CREATED', 'STOPPED', 'EXITED', 'FAILED']);

/** The next call for a name, chosen by the model: what it does and what it makes true. */
function nextCall(client: StatevisorClient, name: string, model: Model, random: Prng, serial: number, markerArg: string) {
  const pick = random.next();
  if (!model.exists) {
    const start = pick < 0.5;
    const version = `c${serial}`;
    const call = () =>
      client.createProcess(
        // The run's marker: a valid sleep; a short grace keeps recovery's stops of strays short.
        {
          name,
          labels: { v: version },
          command: 'sleep',
          args: [markerArg],
          restart: { policy: 'always' },
          stop: { gracePeriodMs: 1_000 },
        },
        { start },
      );
    return { call, next: { exists: true, version, running: start } };
  }
  if (pick < 0.3) {
    const version = `u${serial}`;
    const call = () => client.updateProcess(name, { labels: { v: version } }, { updateMask: ['labels'] });
    return { call, next: { ...model, version } };
  }
  if (pick < 0.55) return { call: () => client.startProcess(name), next: { ...model, running: true } };
  if (pick < 0.8) return { call: () => client.stopProcess(name, { deadlineMs: 30_000 }), next: { ...model, running: false } };
  return { call: () => client.deleteProcess(name, { force: true }), next: absent };
}

/** One client: calls until the daemon dies under it (or `until` passes); each name's model kept. */
async function clientLoop(
  daemon: DaemonUnderTest,
  names: readonly string[],
  tracked: Map<string, Tracked>,
  random: Prng,
  counters: { acknowledged: number; serial: number },
  markerArg: string,
): Promise<void> {
  while (daemon.exit() === undefined) {
    const name = random.pick(names);
    const entry = tracked.get(name)!;
    counters.serial += 1;
    const { call, next } = nextCall(daemon.client, name, entry.acked, random, counters.serial, markerArg);
    entry.inFlight = next;
    try {
      await call();
      entry.acked = next;
      counters.acknowledged += 1;
    } catch (error) {
      // The daemon died under the call: it may or may not have become durable.
      if (isUnavailable(error) || daemon.exit() !== undefined) return;
      // Refused (start of a running process…): nothing changed.
    }
    entry.inFlight = undefined;
  }
}

interface Check {
  lost: string[];
  duplicates: number;
  runningTwice: number;
  unmanaged: number;
  settled: boolean;
  settleMs: number;
}

function matches(model: Model, found: Process | undefined): boolean {
  if (!model.exists || found === undefined) return model.exists === (found !== undefined);
  return found.labels.v === model.version && activeStates.has(found.state) === model.running;
}

/** Compares the restarted daemon with the models once it has settled (or settleMs passed). */
async function check(place: DaemonPlace, daemon: DaemonUnderTest, tracked: Map<string, Tracked>): Promise<Check> {
  const started = Date.now();
  let result: Check | undefined;
  do {
    if (result !== undefined) await delay(100);
    const listed = await daemon.client.listProcesses();
    const byName = new Map(listed.map((p) => [p.name, p]));
    const byId = new Map(listed.map((p) => [p.id, p]));
    const lost = [...tracked].filter(([name, t]) => {
      const found = byName.get(name);
      return !matches(t.acked, found) && !(t.inFlight !== undefined && matches(t.inFlight, found));
    });
    const perId = new Map<string, number>();
    let unmanaged = 0;
    for (const m of place.marked()) {
      perId.set(m.processId, (perId.get(m.processId) ?? 0) + 1);
      const owner = byId.get(m.processId);
      if (owner === undefined || owner.pid !== m.pid) unmanaged += 1;
    }
    result = {
      lost: lost.map(([name]) => name),
      duplicates: listed.length - byName.size + (listed.length - byId.size),
      runningTwice: [...perId.values()].filter((n) => n > 1).length,
      unmanaged,
      settled: listed.every((p) => settledStates.has(p.state)),
      settleMs: Date.now() - started,
    };
  } while (
    (!result.settled || result.lost.length + result.runningTwice + result.unmanaged > 0) &&
    Date.now() - started < settleMs
  );
  return result;
}

async function kill9(options: StressOptions, run: StressRun): Promise<void> {
  const cycles = options.short ? 3 : 20;
  const { seed } = options;
  const random = new Prng(seed);
  const place = run.place(stageName);
  const tracked = new Map<string, Tracked>();
  const clientNames = Array.from({ length: clients }, (_, c) => Array.from({ length: namesPerClient }, (_, i) => `c${c}-p${i}`));
  for (const name of clientNames.flat()) tracked.set(name, { acked: absent });
  const counters = { acknowledged: 0, serial: 0 };
  const totals = { lost: 0, duplicates: 0, runningTwice: 0, unmanaged: 0, unsettled: 0, slowestSettleMs: 0 };
  const lostNames: string[] = [];
  let daemon = await place.start();
  run.progress(stageName, `${cycles} cycles of ${clients} clients, seed ${seed}`);
  try {
    for (let cycle = 0; cycle < cycles; cycle += 1) {
      const killAfterMs = 100 + random.int(1_400);
      const loops = clientNames.map((names, c) =>
        clientLoop(daemon, names, tracked, new Prng(seed + 1 + cycle * clients + c), counters, run.markerArg),
      );
      await delay(killAfterMs);
      await daemon.kill9();
      await Promise.all(loops);
      daemon = await place.start();
      const found = await check(place, daemon, tracked);
      for (const [name, t] of tracked) {
        // What the restarted daemon holds is now the truth to build on: either outcome was allowed.
        if (t.inFlight !== undefined && !found.lost.includes(name)) {
          const now = (await daemon.client.listProcesses()).find((p) => p.name === name);
          if (matches(t.inFlight, now)) t.acked = t.inFlight;
        }
        t.inFlight = undefined;
      }
      totals.lost += found.lost.length;
      lostNames.push(...found.lost);
      totals.duplicates += found.duplicates;
      totals.runningTwice += found.runningTwice;
      totals.unmanaged += found.unmanaged;
      totals.unsettled += found.settled ? 0 : 1;
      totals.slowestSettleMs = Math.max(totals.slowestSettleMs, found.settleMs);
      run.progress(stageName, `cycle ${cycle + 1} of ${cycles}: killed after ${killAfterMs} ms, ${counters.acknowledged} calls acknowledged so far`);
    }
    const details = { cycles, clients, acknowledged_calls: counters.acknowledged };
    run.figure(stageName, 'lost_acknowledged', totals.lost, { max: 0 }, { ...details, seed, names: lostNames.slice(0, 10).join(' ') || undefined });
    run.figure(stageName, 'duplicates', totals.duplicates, { max: 0 }, details);
    run.figure(stageName, 'running_twice', totals.runningTwice, { max: 0 }, details);
    run.figure(stageName, 'unmanaged', totals.unmanaged, { max: 0 }, details);
    run.figure(stageName, 'unsettled_restarts', totals.unsettled, { max: 0 }, { slowest_settle_ms: totals.slowestSettleMs, ...details });
  } finally {
    await daemon.stop(30_000);
  }
}

export const kill9Stage: StressStage = {
  name: stageName,
  about: 'clients create/update/delete/start/stop while the daemon is SIGKILLed and restarted: 0 lost, duplicated, running twice or unmanaged',
  run: kill9,
};
