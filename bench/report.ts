/**
 * Output: one JSON line per figure on stdout, nothing else there, so that `run.js | jq` works;
 * progress and diagnostics go to stderr. `npm run stress` (stress/) prints its figures the same way.
 */
import { round } from './stats.js';

export type Fields = Record<string, string | number | boolean | undefined>;
export type Figure = { bench: string } & Fields;

export function emit(figure: Figure): void {
  emitLine(figure);
}

/** One JSON line of any fields: numbers rounded, undefined fields left out. */
export function emitLine(fields: Fields): void {
  const rounded = Object.fromEntries(
    Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, typeof value === 'number' ? round(value) : value]),
  );
  process.stdout.write(`${JSON.stringify(rounded)}\n`);
}

export function progress(message: string, source = 'bench'): void {
  process.stderr.write(`[${source}] ${message}\n`);
}
