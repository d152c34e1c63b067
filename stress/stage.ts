/**
 * What a stress stage is, and what it reports. A stage is a name and a `run`; it measures, and
 * reports each figure with its bound. run.ts lists the stages (one line each).
 *
 * Two kinds of bound. A threshold (`figure`) is a reliability fact — nothing lost, nothing left
 * running, no crash — that holds on any machine; missing one fails the run. A target (`target`)
 * is a performance figure that depends on the machine (a p99, how fast RSS comes back); it is
 * printed with `met` the same way but never fails the run.
 *
 * Figures are JSON lines like the bench's (bench/report.ts), one per figure:
 *   {"stress":"fuzz","figure":"internal","value":0,"threshold":"<= 0","kind":"hard","met":true, …details}
 *   {"stress":"crash-load","figure":"p99_ms","value":180,"threshold":"<= 50","kind":"target","met":false, …}
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emitLine, progress, type Fields } from '../bench/report.js';
import { markerArg, newMarker } from '../bench/marker.js';
import { DaemonPlace, type DaemonOptions } from './daemon.js';
import type { StressOptions } from './options.js';

export interface StressStage {
  /** As given to --only. */
  readonly name: string;
  /** One line for --help. */
  readonly about: string;
  run(options: StressOptions, run: StressRun): Promise<void>;
}

/** A figure's bound: at most `max`, at least `min`. */
export type Threshold = { readonly max: number } | { readonly min: number };

export class StressRun {
  /** Carried in every managed process's arguments, so survivors can be found and killed (bench/marker.ts). */
  readonly marker = newMarker();
  readonly markerArg = markerArg(this.marker);
  /** The run's temp dir: each stage makes its own dir (and daemon state dir) inside. */
  readonly root = mkdtempSync(path.join(os.tmpdir(), 'statevisor-stress-'));
  /** The places of the running stage's daemons: settled after it, killed if the run is interrupted. */
  readonly places = new Set<DaemonPlace>();
  /** Figures that missed their threshold: the run fails. */
  missed = 0;
  /** Figures that missed their target: printed, counted, but the run does not fail for them. */
  targetsMissed = 0;
  /** Stages that failed before reporting every figure. */
  failed = 0;

  /** A reliability figure: missing its threshold fails the run. */
  figure(stage: string, figure: string, value: number, threshold: Threshold, details: Fields = {}): boolean {
    const met = this.#emit(stage, figure, value, threshold, 'hard', details);
    if (!met) this.missed += 1;
    return met;
  }

  /** A performance figure: its target is reported with `met`, and does not fail the run. */
  target(stage: string, figure: string, value: number, threshold: Threshold, details: Fields = {}): boolean {
    const met = this.#emit(stage, figure, value, threshold, 'target', details);
    if (!met) this.targetsMissed += 1;
    return met;
  }

  #emit(stage: string, figure: string, value: number, threshold: Threshold, kind: 'hard' | 'target', details: Fields): boolean {
    const met = 'max' in threshold ? value <= threshold.max : value >= threshold.min;
    const bound = 'max' in threshold ? `<= ${threshold.max}` : `>= ${threshold.min}`;
    emitLine({ stress: stage, figure, value, threshold: bound, kind, met, ...details });
    return met;
  }

  /** A figure without a threshold: context for the others (rates, counts by kind). */
  info(stage: string, figure: string, details: Fields): void {
    emitLine({ stress: stage, figure, ...details });
  }

  /**
   * The place of a stage's daemons, in a dir of its own (made if absent). The stage stops its
   * daemons before it returns; the run then settles the place (see settle).
   */
  place(stage: string, options: DaemonOptions = {}): DaemonPlace {
    const dir = path.join(this.root, stage);
    mkdirSync(dir, { recursive: true });
    const place = new DaemonPlace(dir, options);
    this.places.add(place);
    return place;
  }

  /**
   * After a stage: once it completed, what its daemons left running after their stop (anything
   * carrying their state dir or the run's marker, still alive 2 s later) is a figure,
   * `left_running`, that must be 0; then, completed or not, every daemon of the stage and all it
   * left is killed.
   */
  async settle(stage: string, completed: boolean): Promise<void> {
    const places = [...this.places];
    this.places.clear();
    for (const place of places) {
      if (completed) {
        const { left } = await place.survivors(this.marker);
        this.figure(stage, 'left_running', left.length, { max: 0 }, { pids: left.slice(0, 10).join(' ') || undefined });
      }
      await place.kill(this.marker);
    }
  }

  /** The run was interrupted: kills every daemon of the running stage and all it left. */
  async killAll(): Promise<void> {
    const places = [...this.places];
    this.places.clear();
    await Promise.allSettled(places.map((place) => place.kill(this.marker)));
  }

  progress(stage: string, message: string): void {
    progress(`${stage}: ${message}`, 'stress');
  }

  close(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
