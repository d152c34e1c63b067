import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasCode } from '../../../src/errors.js';
import { readLastLines } from '../../../src/runtime/logs/index.js';
import { tempDir } from './writers.js';

/** What the last `n` lines of `text` are, computed the obvious way over the whole text. */
function expectedLines(text: string, n: number): string[] {
  if (text === '' || n === 0) return [];
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n').slice(-n);
}

const contents: [string, string][] = [
  ['an empty file', ''],
  ['a single newline', '\n'],
  ['one line', 'only\n'],
  ['one line without its newline', 'only'],
  ['lines with a last one unterminated', 'first\nsecond\nthird'],
  ['blank lines between', 'a\n\n\nb\n\n'],
  ['lines of mixed lengths', 'x\nlonger line here\nyy\n\nzzz zzz zzz zzz\nend\n'],
  ['multibyte characters across chunk boundaries', 'héllo wörld\n😀😀\nñ\n€uro\n'],
];

describe('readLastLines', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  before(async () => {
    dir = await tempDir();
  });
  after(() => dir.remove());

  let count = 0;
  for (const [what, text] of contents) {
    // Small chunks put the boundaries everywhere: inside lines, on newlines, inside characters.
    for (const chunkBytes of [1, 2, 3, 5, 64 * 1024]) {
      test(`reads ${what} with ${chunkBytes}-byte chunks`, async () => {
        const file = join(dir.path, `tail-${(count += 1)}.log`);
        await writeFile(file, text);
        for (const n of [0, 1, 2, 3, 5, 100]) {
          assert.deepEqual(await readLastLines(file, n, { chunkBytes }), expectedLines(text, n), `n = ${n}`);
        }
      });
    }
  }

  test('a missing file has no lines', async () => {
    assert.deepEqual(await readLastLines(join(dir.path, 'never-written.log'), 10), []);
  });

  test('takes the last lines of a 10,000-line file from its last 64 bytes', async () => {
    // 11-byte lines: the last 3 lie in the last chunk, and maxBytes forbids reading a second.
    const file = join(dir.path, 'long.log');
    await writeFile(file, Array.from({ length: 10_000 }, (_, i) => `${String(i).padStart(10, '0')}\n`).join(''));
    assert.deepEqual(await readLastLines(file, 3, { chunkBytes: 64, maxBytes: 64 }), ['0000009997', '0000009998', '0000009999']);
  });

  test('a line longer than maxBytes comes back cut at its start', async () => {
    const file = join(dir.path, 'giant.log');
    await writeFile(file, `${'a'.repeat(1000)}\n${'b'.repeat(1000)}\n`);
    assert.deepEqual(await readLastLines(file, 2, { maxBytes: 11, chunkBytes: 4 }), ['b'.repeat(10)]);
  });

  for (const n of [-1, 1.5, Number.NaN]) {
    test(`rejects ${n} lines`, async () => {
      await assert.rejects(readLastLines(join(dir.path, 'x'), n), (error) => hasCode(error, 'E_INVALID_ARGUMENT'));
    });
  }
});
