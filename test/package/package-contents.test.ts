/**
 * What `npm pack` / `npm publish` put in the package, checked cheaply (a dry run, no build): the
 * compiled sources and their types, the console, the proto and the schema; no tests, no source
 * maps, no bench or stress; and `prepack` builds, so that a clean clone packs a working package
 * (before it, `npm pack` there gave three files and no dist/).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { npm, packageRoot } from './npm.js';

interface PackResult {
  files: { path: string }[];
}

test('prepack builds: npm pack and npm publish from a clean clone compile dist/ first', () => {
  const manifest = JSON.parse(readFileSync(`${packageRoot}/package.json`, 'utf8')) as { scripts: Record<string, string> };
  assert.equal(manifest.scripts.prepack, 'npm run build');
});

test('the package holds the compiled sources, their types, the console, proto and schema, and no tests, maps, bench or stress', { timeout: 120_000 }, async () => {
  const [result] = JSON.parse(await npm(['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: packageRoot })) as PackResult[];
  const files = result!.files.map((file) => file.path).sort();
  for (const needed of [
    'package.json',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    'dist/src/bin/statevisor.js',
    'dist/src/index.js',
    'dist/src/index.d.ts',
    'dist/src/client/index.js',
    'dist/src/client/index.d.ts',
    'dist/src/runtime/logs/log-pump-worker.js',
    'dist/console/main.js',
    'dist/console/vendor/mermaid.min.js.gz',
    'console/index.html',
    'console/style.css',
    'proto/statevisor/v1/process_manager.proto',
    'schema/process-spec.schema.json',
  ]) {
    assert.ok(files.includes(needed), `the package holds ${needed}`);
  }
  // node_modules/xstate is the bundled, patched dependency (docs/upstream/README.md), shipped as published.
  const unwanted = files.filter((file) => !file.startsWith('node_modules/xstate/') && /\.map$|^dist\/(test|bench|stress|examples)\/|^(src|test|bench|stress|examples|scripts|docs)\/|\.ts$/.test(file) && !file.endsWith('.d.ts'));
  assert.deepEqual(unwanted, [], 'nothing but what a user runs');
  assert.deepEqual(files.filter((file) => file.startsWith('dist/console/') && file.endsWith('.d.ts')), [], "the console's scripts are served, not imported: no types");
});
