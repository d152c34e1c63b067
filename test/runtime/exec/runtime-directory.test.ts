/**
 * Where runtime directories are made, and that one cannot be pointed elsewhere through a symlink.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRuntimeDirectory, removeRuntimeDirectory, runtimeRootOf } from '../../../src/runtime/exec/runtime-directory.js';

test('the root is /run as root, else $XDG_RUNTIME_DIR, else runtime/ in the state dir', () => {
  assert.equal(runtimeRootOf({ XDG_RUNTIME_DIR: '/run/user/1000' }, 0, '/var/lib/statevisor'), '/run');
  assert.equal(runtimeRootOf({ XDG_RUNTIME_DIR: '/run/user/1000' }, 1000, '/home/u/.statevisor'), '/run/user/1000');
  assert.equal(runtimeRootOf({}, 1000, '/home/u/.statevisor'), '/home/u/.statevisor/runtime');
});

test('made with its mode whatever the umask, taken over if left by an earlier run, removed with its contents', async (t) => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'statevisor-rundir-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = path.join(root, 'app', 'sub');
  const previous = process.umask(0o077);
  try {
    await createRuntimeDirectory(root, dir, 0o755, {});
  } finally {
    process.umask(previous);
  }
  assert.equal(statSync(dir).mode & 0o7777, 0o755);
  await createRuntimeDirectory(root, dir, 0o700, {});
  assert.equal(statSync(dir).mode & 0o7777, 0o700);
  mkdirSync(path.join(dir, 'inner'));
  await removeRuntimeDirectory(dir);
  assert.equal(existsSync(dir), false);
  await removeRuntimeDirectory(dir);
});

test('a parent on the way that is a symlink is refused: nothing is made or chowned elsewhere', async (t) => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'statevisor-rundir-'));
  const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'statevisor-elsewhere-'));
  t.after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  });
  symlinkSync(elsewhere, path.join(root, 'app'));
  await assert.rejects(createRuntimeDirectory(root, path.join(root, 'app', 'sub'), 0o755, {}), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'E_START_FAILED');
    assert.match(error.message, /is not a directory \(a symlink is not followed\)/);
    return true;
  });
  assert.equal(existsSync(path.join(elsewhere, 'sub')), false);
});
