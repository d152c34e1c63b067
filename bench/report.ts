/**
 * Output: one JSON line per figure on stdout, nothing else there, so that `run.js | jq` works;
 * progress and diagnostics go to stderr.
 */
import { round } from './stats.js';

export type Figure = { bench: string } & Record<string, string | number | boolean | undefined>;

export function emit(figure: Figure): void {
  const rounded = Object.fromEntries(
    Object.entries(figure)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, typeof value === 'number' ? round(value) : value]),
  );
  process.stdout.write(`${JSON.stringify(rounded)}\n`);
}

export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
