/**
 * What a stress stage is, and what it reports. A stage is a name and a `run`; it measures, and
 * reports each figure with the threshold it must meet. run.ts lists the stages (one line each)
 * and exits non-zero when any figure misses its threshold or any stage fails outright.
 *
 * Figures are JSON lines like the bench's (bench/report.ts), one per figure:
 *   {"stress":"fuzz","figure":"internal","value":0,"threshold":"<= 0","met":true, …details}
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emitLine, progress, type Fields } from '../bench/report.js';
import { markerArg, newMarker } from '../bench/marker.js';
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
  /** Daemons and other helpers running now: killed if the run is interrupted. */
  readonly helpers = new Set<{ kill(): void }>();
  /** Figures that missed their threshold. */
  missed = 0;
  /** Stages that failed before reporting every figure. */
  failed = 0;

  figure(stage: string, figure: string, value: number, threshold: Threshold, details: Fields = {}): boolean {
    const met = 'max' in threshold ? value <= threshold.max : value >= threshold.min;
    if (!met) this.missed += 1;
    const bound = 'max' in threshold ? `<= ${threshold.max}` : `>= ${threshold.min}`;
    emitLine({ stress: stage, figure, value, threshold: bound, met, ...details });
    return met;
  }

  /** A figure without a threshold: context for the others (rates, counts by kind). */
  info(stage: string, figure: string, details: Fields): void {
    emitLine({ stress: stage, figure, ...details });
  }

  progress(stage: string, message: string): void {
    progress(`${stage}: ${message}`, 'stress');
  }

  close(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
