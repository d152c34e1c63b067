/**
 * The build no longer deletes dist/ (a daemon started from it kept running while `npm test`
 * rebuilt it from under it, then failed on its next lazy import): prune-dist removes only the
 * outputs whose source is gone, so no test of a deleted source runs either.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../../scripts/prune-dist.mjs', import.meta.url));

test('prune-dist removes outputs whose source is gone and keeps the rest', { timeout: 10_000 }, (t) => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'statevisor-prune-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const put = (file: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), '');
  };
  for (const file of ['src/kept.ts', 'dist/src/kept.js', 'dist/src/kept.js.map', 'dist/src/kept.d.ts', 'dist/src/kept.d.ts.map']) put(file);
  for (const file of ['dist/src/gone.js', 'dist/src/gone.js.map', 'dist/src/gone.d.ts', 'dist/test/old/stale.test.js', 'dist/package.json']) put(file);
  execFileSync(process.execPath, [script, root]);
  for (const file of ['dist/src/kept.js', 'dist/src/kept.js.map', 'dist/src/kept.d.ts', 'dist/src/kept.d.ts.map', 'dist/package.json']) {
    assert.ok(existsSync(path.join(root, file)), `${file} is kept`);
  }
  for (const file of ['dist/src/gone.js', 'dist/src/gone.js.map', 'dist/src/gone.d.ts', 'dist/test/old']) {
    assert.ok(!existsSync(path.join(root, file)), `${file} is removed`);
  }
});
