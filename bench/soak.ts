/**
 * The RSS soak: one process crash-looping with zero restart delay for a long while, the daemon's
 * RSS sampled from outside at a fixed interval. TARGETS asks for it to stay flat over 10 minutes.
 */
import type { StatevisorClient } from '../src/client/index.js';
import { delay } from './concurrency.js';
import { memoryOf } from './memory.js';
import { crashLoopSpec } from './restart-gap.js';

export interface SoakResult {
  readonly rssMb: number[];
  readonly restarts: number;
  readonly seconds: number;
}

export async function crashLoopSoak(
  client: StatevisorClient,
  daemonPid: number,
  markerArg: string,
  seconds: number,
  { sampleEveryMs = 5_000, onSample = (_mb: number, _at: number) => {} } = {},
): Promise<SoakResult> {
  const name = 'soak-loop';
  await client.createProcess(crashLoopSpec(name, markerArg, undefined), { start: true });
  const rssMb: number[] = [];
  const t0 = Date.now();
  try {
    while (Date.now() - t0 < seconds * 1000) {
      await delay(Math.min(sampleEveryMs, seconds * 1000 - (Date.now() - t0)));
      const mb = memoryOf(daemonPid).rssMb;
      rssMb.push(mb);
      onSample(mb, (Date.now() - t0) / 1000);
    }
  } finally {
    await client.stopProcess(name, { gracePeriodMs: 1000 });
  }
  const { process: described } = await client.describeProcess(name);
  await client.deleteProcess(name);
  return { rssMb, restarts: described.restartCount, seconds: (Date.now() - t0) / 1000 };
}
