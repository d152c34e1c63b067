/**
 * statevisor ships XState patched (patches/xstate+5.33.3.patch; docs/upstream/README.md says why):
 * the package bundles its own copy, so an installed statevisor runs the patched files whatever the
 * project's own xstate is and wherever npm hoists it. A regression here would ship the quadratic
 * stop path to every user while this repository's tests, run against node_modules, stay green.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The files the patch changes, as paths inside the package's own node_modules. */
function patchedFiles(): string[] {
  const patch = readFileSync(path.join(root, 'patches', 'xstate+5.33.3.patch'), 'utf8');
  return [...patch.matchAll(/^\+\+\+ b\/(node_modules\/xstate\/\S+)$/gm)].map((match) => match[1]!);
}

test('the packed package carries the patched xstate files', { timeout: 120_000 }, () => {
  const files = patchedFiles();
  assert.ok(files.length >= 4, `the patch names the esm, cjs and development builds (${files.join(', ')})`);
  // --ignore-scripts: the listing only; no prepack build inside a test.
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [pack] = JSON.parse(out) as { bundled: string[]; files: { path: string }[] }[];
  assert.deepEqual(pack!.bundled, ['xstate']);
  const packed = new Set(pack!.files.map((file) => file.path));
  for (const file of files) {
    assert.ok(packed.has(file), `${file} is in the tarball`);
    assert.match(readFileSync(path.join(root, file), 'utf8'), /scheduledEventIdsBySource/, `${file} is patched`);
  }
});
