/**
 * The daemon refuses a state dir (or a directory in it) that someone else could write, since a
 * root daemon writes through whatever they plant there (issue 9: a `nobody` user pre-created
 * STATE_DIR/logs 0777 with `web.stdout.log -> /root/secret`, and root appended to the secret). It
 * creates its own directories 0700, and refuses a socket directory others can swap the socket in.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDaemon } from '../../src/server/daemon.js';
import { silentLogger } from '../../src/manager/logger.js';
import { hasCode } from '../../src/errors.js';
import { startDaemonBinary } from '../helpers/daemon-binary.js';

const bounded = { timeout: 60_000 };
const asRoot = process.getuid?.() === 0;

function scratch(t: TestContext): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-statedir-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts a daemon on `stateDir`; one that starts is stopped at once and reported. */
async function refusal(dir: string, stateDir: string, socket = path.join(dir, 'sv.sock')): Promise<Error> {
  try {
    const daemon = await startDaemon({ socket, stateDir, logger: silentLogger });
    await daemon.stop();
  } catch (error) {
    assert.ok(hasCode(error, 'E_INVALID_ARGUMENT'), `refused as bad input: ${String(error)}`);
    return error as Error;
  }
  assert.fail(`the daemon started on the unsafe state dir ${stateDir}`);
}

test('the daemon creates its state dir, logs and store 0700', bounded, async (t) => {
  const dir = scratch(t);
  const stateDir = path.join(dir, 'state');
  const daemon = await startDaemon({ socket: path.join(dir, 'sv.sock'), stateDir, logger: silentLogger });
  await daemon.stop();
  for (const made of [stateDir, path.join(stateDir, 'logs'), path.join(stateDir, 'store')]) {
    assert.equal(statSync(made).mode & 0o777, 0o700, `${made} is 0700`);
  }
});

test('a state dir writable by others is refused with its mode and the chmod that fixes it', bounded, async (t) => {
  const dir = scratch(t);
  const stateDir = path.join(dir, 'state');
  mkdirSync(stateDir);
  chmodSync(stateDir, 0o777);
  const error = await refusal(dir, stateDir);
  assert.equal(
    error.message,
    `unsafe state dir: ${stateDir} has mode 0777 (writable by group and others), so others could plant links in it; fix: chmod 700 ${stateDir}`,
  );
});

test('a directory deep in the state dir that the group can write is refused too', bounded, async (t) => {
  const dir = scratch(t);
  const stateDir = path.join(dir, 'state');
  const deep = path.join(stateDir, 'logs', 'old');
  mkdirSync(deep, { recursive: true, mode: 0o700 });
  chmodSync(deep, 0o770);
  const error = await refusal(dir, stateDir);
  assert.match(error.message, new RegExp(`${deep} has mode 0770 \\(writable by group\\).*fix: chmod 700 ${deep}$`));
});

test('a state dir owned by nobody is refused with the owner and the chown that fixes it', { ...bounded, skip: !asRoot && 'needs root to chown to nobody' }, async (t) => {
  const dir = scratch(t);
  const stateDir = path.join(dir, 'state');
  mkdirSync(stateDir, { mode: 0o700 });
  chownSync(stateDir, 65534, 65534);
  const error = await refusal(dir, stateDir);
  assert.equal(
    error.message,
    `unsafe state dir: ${stateDir} is owned by uid 65534, not by uid 0 that runs the daemon, so others could plant links in it; fix: chown 0 ${stateDir}`,
  );
});

test('logs as a symbolic link is refused, and nothing is written where it points', bounded, async (t) => {
  const dir = scratch(t);
  const stateDir = path.join(dir, 'state');
  const elsewhere = path.join(dir, 'elsewhere');
  mkdirSync(stateDir, { mode: 0o700 });
  mkdirSync(elsewhere, { mode: 0o700 });
  symlinkSync(elsewhere, path.join(stateDir, 'logs'));
  const error = await refusal(dir, stateDir);
  assert.match(error.message, new RegExp(`^unsafe state dir: ${stateDir}/logs is a symbolic link \\(to ${elsewhere}\\); the daemon follows no links in its state dir`));
  assert.deepEqual(readdirSync(elsewhere), []);
});

test('a journal planted as a link to a victim file is refused, and the victim is untouched', bounded, async (t) => {
  const dir = scratch(t);
  const stateDir = path.join(dir, 'state');
  const victim = path.join(dir, 'victim');
  writeFileSync(victim, 'precious\n');
  mkdirSync(path.join(stateDir, 'store'), { recursive: true, mode: 0o700 });
  symlinkSync(victim, path.join(stateDir, 'store', 'journal.jsonl'));
  const error = await refusal(dir, stateDir);
  assert.match(error.message, /store\/journal\.jsonl is a symbolic link, which the daemon never follows in its state dir/);
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
});

test('a socket directory anyone can write is refused unless it is sticky like /tmp', bounded, async (t) => {
  const dir = scratch(t);
  const open = path.join(dir, 'open');
  mkdirSync(open);
  chmodSync(open, 0o777);
  const error = await refusal(dir, path.join(dir, 'state'), path.join(open, 'sv.sock'));
  assert.match(error.message, new RegExp(`^unsafe socket directory: ${open} has mode 0777 .*without the sticky bit.*fix: chmod 700 ${open}`));

  chmodSync(open, 0o1777);
  const daemon = await startDaemon({ socket: path.join(open, 'sv.sock'), stateDir: path.join(dir, 'state'), logger: silentLogger });
  await daemon.stop();
});

test('statevisor daemon on an unsafe state dir exits non-zero with the one-line reason', bounded, async (t) => {
  const dir = scratch(t);
  const stateDir = path.join(dir, 'state');
  mkdirSync(stateDir);
  chmodSync(stateDir, 0o777);
  const daemon = startDaemonBinary(['--socket', path.join(dir, 'sv.sock'), '--state-dir', stateDir]);
  // Should it start after all, it must not outlive the test.
  t.after(() => daemon.child.exitCode === null && daemon.child.kill('SIGKILL'));
  const exit = await daemon.exited;
  assert.equal(exit.code, 1, daemon.output());
  assert.equal(
    daemon.output(),
    `statevisor: unsafe state dir: ${stateDir} has mode 0777 (writable by group and others), so others could plant links in it; fix: chmod 700 ${stateDir}\n`,
  );
});
