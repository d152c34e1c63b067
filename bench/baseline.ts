/** The benchmark's side of baseline-process.ts: one method per command. */
import type { BareWriters } from './bare-writers.js';
import type { EntryProcess } from './entry-process.js';

export interface Baseline {
  readonly pid: number;
  /** Spawns n sleeps; resolves with the ms until every one emitted 'spawn'. */
  spawnFleet(n: number, markerArg: string): Promise<number>;
  /** SIGTERMs the fleet; resolves with the ms until every 'exit' fired. */
  killFleet(): Promise<number>;
  respawnLoop(command: string, args: readonly string[], runs: number): Promise<void>;
  /** Runs n writers, each with stdout on an O_APPEND file in dir, until every one exited. */
  writers(dir: string, n: number, command: string, args: readonly string[]): Promise<BareWriters>;
}

/** 120 s, or 30 ms a process for a large fleet on a busy machine (10,000: 5 min). */
export function fleetTimeoutMs(n: number): number {
  return Math.max(120_000, n * 30);
}

export function baselineOf(entry: EntryProcess): Baseline {
  let fleet = 0;
  return {
    pid: entry.pid,
    async spawnFleet(n, markerArg) {
      fleet = n;
      return Number((await entry.request({ cmd: 'spawn', n, markerArg }, fleetTimeoutMs(n)))['ms']);
    },
    async killFleet() {
      return Number((await entry.request({ cmd: 'kill' }, fleetTimeoutMs(fleet)))['ms']);
    },
    async respawnLoop(command, args, runs) {
      await entry.request({ cmd: 'respawn', command, args, runs });
    },
    async writers(dir, n, command, args) {
      return (await entry.request({ cmd: 'writers', dir, n, command, args }, 600_000)) as unknown as BareWriters;
    },
  };
}
