/**
 * Durations as people write them ("250ms", "5s", "1.5s", "2m", "1h30m") or as the wire sends
 * them (integer milliseconds). Decimal fractions are computed exactly, so "1.001s" is 1001 ms
 * rather than 1000.9999999999999.
 */

/**
 * The longest duration accepted. A delay above 2^31 - 1 ms overflows setTimeout, which then
 * fires at once: a 30-day backoff would become a busy restart loop.
 */
export const maxDurationMs = 2 ** 31 - 1;

export type Parsed<T> = { ok: true; value: T } | { ok: false; expected: string };

const unitMs: Record<string, bigint> = { ms: 1n, s: 1_000n, m: 60_000n, h: 3_600_000n };
const term = /(\d*)(?:\.(\d+))?(ms|s|m|h)/y;
const expectedForm = 'a duration such as "250ms", "5s", "1.5s", "2m" or "1h", or an integer number of milliseconds';
const tooLong = `at most ${maxDurationMs} ms (about 24.8 days)`;

/** Integers are milliseconds; strings need a unit on every number, except a bare "0". */
export function readDuration(input: unknown): Parsed<number> {
  if (typeof input === 'number') return readMilliseconds(input);
  if (typeof input !== 'string') return { ok: false, expected: expectedForm };
  const text = input.trim();
  if (text.startsWith('-')) return { ok: false, expected: 'a duration that is not negative' };
  if (text === '0') return { ok: true, value: 0 };
  if (text === '' || text.length > 64) return { ok: false, expected: expectedForm };
  let total = 0n;
  term.lastIndex = 0;
  while (term.lastIndex < text.length) {
    const match = term.exec(text);
    const [, whole = '', fraction = '', unit = ''] = match ?? [];
    if (!match || (whole === '' && fraction === '')) return { ok: false, expected: expectedForm };
    const scale = unitMs[unit] ?? 1n;
    const fractionScale = 10n ** BigInt(fraction.length);
    const fractionMs = BigInt(fraction || '0') * scale;
    if (fractionMs % fractionScale !== 0n) {
      return { ok: false, expected: 'a duration in whole milliseconds' };
    }
    total += BigInt(whole || '0') * scale + fractionMs / fractionScale;
  }
  if (total > BigInt(maxDurationMs)) return { ok: false, expected: tooLong };
  return { ok: true, value: Number(total) };
}

/** The wire form (`*_ms` fields): a non-negative integer, or its decimal string (proto3 JSON int64). */
export function readMilliseconds(input: unknown): Parsed<number> {
  const value = typeof input === 'string' && /^\d{1,16}$/.test(input) ? Number(input) : input;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return { ok: false, expected: 'an integer number of milliseconds' };
  }
  if (value < 0) return { ok: false, expected: 'a duration that is not negative' };
  if (value > maxDurationMs) return { ok: false, expected: tooLong };
  return { ok: true, value };
}

/** Like readDuration, but throws a RangeError that names the value and what was expected. */
export function parseDuration(input: string | number): number {
  const parsed = readDuration(input);
  if (!parsed.ok) throw new RangeError(`invalid duration ${JSON.stringify(input)}: expected ${parsed.expected}`);
  return parsed.value;
}
