/**
 * Signals as users write them ("SIGTERM", "TERM", "term", 15, "15"), normalized to the name
 * Node's process.kill accepts. Numbers are resolved on this platform, never assumed.
 */
import { constants } from 'node:os';
import type { Parsed } from './duration.js';

const byName = constants.signals as Readonly<Record<string, number>>;
const byNumber = new Map<number, string>();
for (const [name, number] of Object.entries(byName)) {
  // First name wins for aliases (SIGABRT before SIGIOT, SIGIO before SIGPOLL).
  if (!byNumber.has(number)) byNumber.set(number, name);
}

export function readSignal(input: unknown): Parsed<string> {
  const expected = 'a signal name such as "SIGTERM", "TERM" or "term", or a signal number';
  if (typeof input === 'number' || (typeof input === 'string' && /^\d{1,3}$/.test(input))) {
    const name = byNumber.get(Number(input));
    return name ? { ok: true, value: name } : { ok: false, expected };
  }
  if (typeof input !== 'string' || input.length > 16) return { ok: false, expected };
  const upper = input.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return Object.hasOwn(byName, name) ? { ok: true, value: name } : { ok: false, expected };
}

/** Like readSignal, but throws a RangeError that names the value. */
export function parseSignal(input: string | number): string {
  const parsed = readSignal(input);
  if (!parsed.ok) throw new RangeError(`invalid signal ${JSON.stringify(input)}: expected ${parsed.expected}`);
  return parsed.value;
}
