/**
 * The escape stage: stops of services whose children leave their process group and session,
 * under the default kill mode, against a real daemon in its own process. On a machine where a
 * cgroup can be made (the default is then control-group) nothing may survive a stop; where none
 * can, the default is process-group and survivors are expected (the figure says which applied).
 *
 * Figures: survivors (marked processes still running after a stop returned STOPPED, summed over
 * every stop; 0), zombies of the daemon (its unreaped children after each stop, summed; 0).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DaemonPlace, seededRandom, zombiesOf, type StageResult } from './daemon-child.js';

export interface EscapeOptions {
  /** About 10 stops instead of 100. */
  readonly short?: boolean;
  readonly stops?: number;
  readonly seed?: number;
  /** A dir to work in (removed at the end); a fresh temp dir when absent. */
  readonly dir?: string;
  readonly progress?: (message: string) => void;
}

/** Two ways out of the group and session: a setsid'd child beside a plain one, and a double fork. */
const shapes = [
  (arg: string) => `setsid sleep ${arg} & sleep ${arg} & wait`,
  (arg: string) => `(setsid sleep ${arg} &); exec sleep ${arg}`,
];

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function run(options: EscapeOptions = {}): Promise<StageResult> {
  const stops = options.stops ?? (options.short ? 10 : 100);
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const random = seededRandom(seed);
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'statevisor-escape-'));
  const place = new DaemonPlace(dir);
  const daemon = await place.start();
  let survivors = 0;
  let stopsWithSurvivors = 0;
  let zombies = 0;
  try {
    const names = shapes.map((_, i) => `escaper-${i}`);
    for (const [i, shape] of shapes.entries()) {
      // The default kill mode: no stop.kill_mode. 3600.<i>: a valid sleep, one per shape.
      await daemon.client.createProcess({ name: names[i]!, command: 'sh', args: ['-c', shape(`3600.${i}`)], restart: { policy: 'no' } });
    }
    const sleeps = () => place.marked().filter((m) => m.comm === 'sleep').length;
    for (let stop = 0; stop < stops; stop += 1) {
      const name = names[Math.floor(random() * names.length)]!;
      await daemon.client.startProcess(name);
      await until(`${name} and its escaped child run`, () => sleeps() === 2);
      const stopped = await daemon.client.stopProcess(name, { deadlineMs: 30_000 });
      if (stopped.state !== 'STOPPED') throw new Error(`${name} is ${stopped.state} after its stop`);
      const left = place.marked();
      zombies += zombiesOf(daemon.pid).length;
      if (left.length > 0) {
        survivors += left.length;
        stopsWithSurvivors += 1;
        for (const m of left) process.kill(m.pid, 'SIGKILL');
        await until('the survivors are killed', () => place.marked().length === 0);
      }
      if ((stop + 1) % 25 === 0) options.progress?.(`${stop + 1} of ${stops} stops`);
    }
    const { enforcement } = await daemon.client.describeProcess(names[0]!);
    const killMode = enforcement.find((e) => e.field === 'stop.kill_mode')?.detail ?? '?';
    return {
      stage: 'escape',
      seed,
      figures: [
        { figure: 'survivors', value: survivors, threshold: { max: 0 }, stops, stops_with_survivors: stopsWithSurvivors, kill_mode: killMode },
        { figure: 'daemon_zombies', value: zombies, threshold: { max: 0 }, stops },
      ],
    };
  } finally {
    await daemon.stop(30_000);
    await place.cleanUp();
    rmSync(dir, { recursive: true, force: true });
  }
}
