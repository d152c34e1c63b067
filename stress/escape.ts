/**
 * The escape stage: stops of services whose children leave their process group and session,
 * under the default kill mode, against a real daemon in its own process. On a machine where a
 * cgroup can be made (the default is then control-group) nothing may survive a stop; where none
 * can, the default is process-group and survivors are expected (the figure says which applied).
 *
 * Figures: survivors (processes of the service still running 2 s after a stop returned STOPPED,
 * summed over every stop; 0 — one still dying at the moment the stop returned is counted apart),
 * zombies of the daemon (its unreaped children after each stop, summed; 0). 100 stops, 10 with
 * --short; the seed picks which service each stop is of.
 */
import { pollUntil } from '../bench/concurrency.js';
import type { StressOptions } from './options.js';
import { Prng } from './prng.js';
import { zombiesOf } from './daemon.js';
import type { StressRun, StressStage } from './stage.js';

const stageName = 'escape';

/** Two ways out of the group and session: a setsid'd child beside a plain one, and a double fork. */
const shapes = ['setsid sleep $0 & sleep $0 & wait', '(setsid sleep $0 &); exec sleep $0'];

async function escape(options: StressOptions, run: StressRun): Promise<void> {
  const stops = options.short ? 10 : 100;
  const random = new Prng(options.seed);
  const place = run.place(stageName);
  const daemon = await place.start();
  const { client } = daemon;
  run.progress(stageName, `daemon pid ${daemon.pid}; ${stops} stops of ${shapes.length} escaping services`);
  let survivors = 0;
  let stopsWithSurvivors = 0;
  let stopsStillDying = 0;
  let zombies = 0;
  const names = shapes.map((_, i) => `escaper-${i}`);
  try {
    for (const [i, shape] of shapes.entries()) {
      // The default kill mode: no stop.kill_mode. $0 is the run's marker argument, a valid sleep.
      await client.createProcess({ name: names[i]!, command: 'sh', args: ['-c', shape, run.markerArg], restart: { policy: 'no' } });
    }
    const sleeps = () => place.marked().filter((m) => m.comm === 'sleep').length;
    for (let stop = 0; stop < stops; stop += 1) {
      const name = random.pick(names);
      await client.startProcess(name);
      await pollUntil(`${name} and its escaped child run`, () => sleeps() === 2, { timeoutMs: 10_000, intervalMs: 10 });
      const stopped = await client.stopProcess(name, { deadlineMs: 30_000 });
      if (stopped.state !== 'STOPPED') throw new Error(`${name} is ${stopped.state} after its stop`);
      zombies += zombiesOf(daemon.pid).length;
      const { seen, left } = await place.survivors();
      if (seen > 0) stopsStillDying += 1;
      if (left.length > 0) {
        survivors += left.length;
        stopsWithSurvivors += 1;
        await place.killLeftovers();
      }
      if ((stop + 1) % 25 === 0) run.progress(stageName, `${stop + 1} of ${stops} stops`);
    }
    const { enforcement } = await client.describeProcess(names[0]!);
    const killMode = enforcement.find((e) => e.field === 'stop.kill_mode')?.detail ?? '?';
    run.figure(stageName, 'survivors', survivors, { max: 0 }, {
      stops,
      stops_with_survivors: stopsWithSurvivors,
      stops_with_processes_still_dying: stopsStillDying,
      kill_mode: killMode,
      seed: options.seed,
    });
    run.figure(stageName, 'daemon_zombies', zombies, { max: 0 }, { stops });
  } finally {
    await daemon.stop(30_000);
  }
}

export const escapeStage: StressStage = {
  name: stageName,
  about: 'stops of services whose children setsid and double-fork, default kill mode: 0 survivors, 0 zombies of the daemon',
  run: escape,
};
