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

/** The files the patch changes (paths inside the package), each with the longest line it adds. */
function patchedFiles(): { file: string; added: string }[] {
  const patch = readFileSync(path.join(root, 'patches', 'xstate+5.33.3.patch'), 'utf8');
  return patch.split(/^diff --git /m).slice(1).map((part) => {
    const file = /^\+\+\+ b\/(node_modules\/xstate\/\S+)$/m.exec(part)![1]!;
    const added = part.split('\n').filter((line) => line.startsWith('+') && !line.startsWith('+++')).map((line) => line.slice(1));
    return { file, added: added.reduce((a, b) => (b.length > a.length ? b : a), '') };
  });
}

test('the packed package carries the patched xstate files', { timeout: 120_000 }, () => {
  const files = patchedFiles();
  assert.ok(files.length >= 4, `the patch names the esm, cjs and development builds (${files.map((f) => f.file).join(', ')})`);
  // --ignore-scripts: the listing only; no prepack build inside a test.
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [pack] = JSON.parse(out) as { bundled: string[]; files: { path: string }[] }[];
  assert.deepEqual(pack!.bundled, ['xstate']);
  const packed = new Set(pack!.files.map((file) => file.path));
  for (const { file, added } of files) {
    assert.ok(packed.has(file), `${file} is in the tarball`);
    assert.ok(readFileSync(path.join(root, file), 'utf8').includes(added), `${file} is patched`);
  }
});
