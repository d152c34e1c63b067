/**
 * Pidfiles, read without trusting what is at the path (a workload wrote it, maybe as another
 * user) and written atomically.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parsePidfile, readPidfile, removePidfile, writePidfile } from '../../../src/runtime/exec/pidfile.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-pidfile-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a pidfile names a pid on its first line; whitespace around it is ignored', () => {
  assert.deepEqual(parsePidfile('1234\n'), { pid: 1234 });
  assert.deepEqual(parsePidfile('  1234  '), { pid: 1234 });
  assert.deepEqual(parsePidfile('1234\nsomething else\n'), { pid: 1234 });
  assert.deepEqual(parsePidfile('1'), { pid: 1 });
  assert.deepEqual(parsePidfile('4194304'), { pid: 4_194_304 }, 'the largest pid the kernel can hand out');
});

test('anything else is refused, quoting what the file held', () => {
  assert.deepEqual(parsePidfile(''), { problem: 'it is empty' });
  assert.deepEqual(parsePidfile(' \n\n'), { problem: 'it is empty' });
  assert.deepEqual(parsePidfile('hello\n'), { problem: 'it holds "hello\\n", not a pid' });
  assert.deepEqual(parsePidfile('-5'), { problem: 'it holds "-5", not a pid' });
  assert.deepEqual(parsePidfile('12.5'), { problem: 'it holds "12.5", not a pid' });
  assert.deepEqual(parsePidfile('0x10'), { problem: 'it holds "0x10", not a pid' });
  assert.deepEqual(parsePidfile('0'), { problem: 'it holds "0", not a pid (1 to 4194304)' });
  assert.deepEqual(parsePidfile('4194305'), { problem: 'it holds "4194305", not a pid (1 to 4194304)' });
  assert.deepEqual(parsePidfile('99999999999999999999'), { problem: 'it holds "99999999999999999999", not a pid (1 to 4194304)' });
  assert.deepEqual(parsePidfile('x'.repeat(40)), { problem: `it holds "${'x'.repeat(32)}…", not a pid` }, 'a long text is cut');
});

test('reading: a missing file, an empty one, a symlink (not followed), a FIFO (no hang), a directory, a large file', (t) => {
  const dir = tempDir(t);
  const file = (name: string) => path.join(dir, name);
  assert.deepEqual(readPidfile(file('missing.pid')), { problem: 'it does not exist' });
  writeFileSync(file('empty.pid'), '');
  assert.deepEqual(readPidfile(file('empty.pid')), { problem: 'it is empty' });
  writeFileSync(file('good.pid'), '42\n');
  assert.deepEqual(readPidfile(file('good.pid')), { pid: 42 });
  writeFileSync(file('secret'), '42\n');
  symlinkSync(file('secret'), file('link.pid'));
  assert.deepEqual(readPidfile(file('link.pid')), { problem: 'it is a symlink, which is not followed' });
  execFileSync('mkfifo', [file('fifo.pid')]);
  assert.deepEqual(readPidfile(file('fifo.pid')), { problem: 'it is not a regular file' });
  assert.deepEqual(readPidfile(dir), { problem: 'it is not a regular file' });
  writeFileSync(file('big.pid'), `42${' '.repeat(100)}`);
  assert.deepEqual(readPidfile(file('big.pid')), { problem: 'it holds more than 64 bytes, not a pid' });
});

test('writing replaces the file whole (a symlink at the path is replaced, not followed) and leaves no temp file', (t) => {
  const dir = tempDir(t);
  const pidfile = path.join(dir, 'main.pid');
  writePidfile(pidfile, 1234);
  assert.equal(readFileSync(pidfile, 'utf8'), '1234\n');
  writePidfile(pidfile, 56);
  assert.equal(readFileSync(pidfile, 'utf8'), '56\n');
  const target = path.join(dir, 'target');
  writeFileSync(target, 'untouched');
  rmSync(pidfile);
  symlinkSync(target, pidfile);
  writePidfile(pidfile, 78);
  assert.equal(readFileSync(target, 'utf8'), 'untouched');
  assert.equal(readFileSync(pidfile, 'utf8'), '78\n');
  assert.deepEqual(readdirSync(dir).sort(), ['main.pid', 'target']);
  assert.throws(() => writePidfile(path.join(dir, 'no', 'such', 'dir.pid'), 1), /ENOENT/);
  assert.deepEqual(readdirSync(dir).sort(), ['main.pid', 'target']);
});

test('removal with a pid removes the file only while it still names that pid', (t) => {
  const dir = tempDir(t);
  const pidfile = path.join(dir, 'main.pid');
  writePidfile(pidfile, 1234);
  removePidfile(pidfile, 999);
  assert.equal(existsSync(pidfile), true, 'another run\'s pidfile is left alone');
  removePidfile(pidfile, 1234);
  assert.equal(existsSync(pidfile), false);
  removePidfile(pidfile, 1234);
  removePidfile(pidfile);
  writeFileSync(pidfile, 'garbage');
  removePidfile(pidfile);
  assert.equal(existsSync(pidfile), false, 'without a pid, whatever is there goes');
});
