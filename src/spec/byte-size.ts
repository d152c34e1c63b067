/**
 * Sizes as people write them ("512MiB", "200MB", "1G", "64k") or as the wire sends them (an
 * integer number of bytes). K/M/G/T without "i" are powers of 1000 as in systemd's MemoryMax=;
 * with "i", powers of 1024. A fraction is allowed if the result is a whole number of bytes.
 */
import type { Parsed } from './duration.js';

const multipliers: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  ki: 1024,
  kib: 1024,
  mi: 1024 ** 2,
  mib: 1024 ** 2,
  gi: 1024 ** 3,
  gib: 1024 ** 3,
  ti: 1024 ** 4,
  tib: 1024 ** 4,
};

const expectedForm = 'a size such as "512MiB", "200MB", "1G" or an integer number of bytes';

export function readByteSize(input: unknown): Parsed<number> {
  if (typeof input === 'number' || typeof input === 'bigint') {
    const value = Number(input);
    return Number.isSafeInteger(value) && value >= 0 ? { ok: true, value } : { ok: false, expected: expectedForm };
  }
  if (typeof input !== 'string') return { ok: false, expected: expectedForm };
  const match = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(input);
  const multiplier = match ? multipliers[match[2]!.toLowerCase()] : undefined;
  if (!match || multiplier === undefined) return { ok: false, expected: expectedForm };
  const value = Number(match[1]) * multiplier;
  if (!Number.isSafeInteger(value)) return { ok: false, expected: `${expectedForm}, a whole number of bytes` };
  return { ok: true, value };
}
