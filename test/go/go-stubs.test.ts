/**
 * The Go stubs committed in clients/go/statevisorv1 are what the .proto generates: they are
 * regenerated into a temp dir with scripts/gen-go.mjs (Debian's protoc and Go plugins) and
 * compared file by file, so that a change of the .proto without `node scripts/gen-go.mjs` fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { needsProtocGo } from '../helpers/go-toolchain.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const committed = path.join(root, 'clients', 'go', 'statevisorv1');

test('the committed Go stubs are what the .proto generates', { skip: needsProtocGo, timeout: 120_000 }, () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'statevisor-go-stubs-'));
  try {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'gen-go.mjs'), '--out', out], { stdio: 'pipe' });
    const generated = path.join(out, 'statevisorv1');
    const fix = 'run `node scripts/gen-go.mjs` and commit clients/go/statevisorv1';
    assert.deepEqual(readdirSync(committed).sort(), readdirSync(generated).sort(), `the stub files differ: ${fix}`);
    for (const file of readdirSync(generated)) {
      const stale = readFileSync(path.join(committed, file), 'utf8') !== readFileSync(path.join(generated, file), 'utf8');
      assert.ok(!stale, `clients/go/statevisorv1/${file} is not what the .proto generates: ${fix}`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
