/**
 * kill -9 of the daemon: nothing acknowledged is lost, no workload runs twice, none runs
 * unmanaged. The daemon runs as the real binary in its own process so that it can be killed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomInt, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createClient, type StatevisorClient } from '../../src/client/index.js';
import { startDaemonBinary, type SpawnedDaemon, untilAnswering } from '../helpers/daemon-binary.js';
import { killMarked, newMarker, pidsWithMarker, procParent, procState, sleepsWithMarker, spawnersFor, waitUntil } from '../helpers/leaks.js';
import { needsSomeCgroup } from '../helpers/requirements.js';

interface Rig {
  readonly dir: string;
  readonly marker: string;
  /** `extra`: more daemon flags, e.g. `--cgroup-root` of an empty dir (no cgroup can be made). */
  start(extra?: string[]): Promise<{ daemon: SpawnedDaemon; client: StatevisorClient }>;
  /** The live (non-zombie) processes whose arguments carry this token. */
  living(token: string): number[];
}

function rig(t: { after(fn: () => void): void }): Rig {
  const marker = newMarker();
  const dir = mkdtempSync(path.join(os.tmpdir(), `statevisor-crash-${marker}-`));
  const socket = path.join(dir, 'statevisor.sock');
  const daemons: SpawnedDaemon[] = [];
  t.after(() => {
    for (const d of daemons) d.child.kill('SIGKILL');
    killMarked(marker);
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    marker,
    async start(extra = []) {
      const daemon = startDaemonBinary(['--socket', socket, '--state-dir', path.join(dir, 'state'), '--log-level', 'warn', ...extra]);
      daemons.push(daemon);
      const client = createClient({ socket });
      await untilAnswering(daemon, client);
      return { daemon, client };
    },
    living: (token) => pidsWithMarker(token).filter((pid) => procState(pid) !== 'Z'),
  };
}

async function kill9(daemon: SpawnedDaemon): Promise<void> {
  daemon.child.kill('SIGKILL');
  await daemon.exited;
}

test('after kill -9, running workloads are adopted (not started twice), stopped ones stay stopped, and stops still work', async (t) => {
  const r = rig(t);
  const first = await r.start();
  const arg = (name: string) => `3600.${r.marker}${name === 'web' ? '1' : name === 'worker' ? '2' : '3'}`;
  await first.client.createProcess({ name: 'web', command: 'sleep', args: [arg('web')], restart: { policy: 'always' } }, { start: true });
  await first.client.createProcess({ name: 'worker', command: 'sleep', args: [arg('worker')], restart: { policy: 'no' } }, { start: true });
  await first.client.createProcess({ name: 'idle', command: 'sleep', args: [arg('idle')] });
  const ranFile = path.join(r.dir, 'once.txt');
  await first.client.createProcess(
    { name: 'once', command: 'sh', args: ['-c', `echo ran >> ${ranFile}`], type: 'oneshot' },
    { start: true },
  );
  await waitUntil('once ran', async () => (await first.client.describeProcess('once')).process.state === 'EXITED');
  await waitUntil('both run', async () => (await first.client.listProcesses()).filter((p) => p.state === 'RUNNING').length === 2);
  const { pid: webPid, startedAt: webStarted } = (await first.client.describeProcess('web')).process;
  first.client.close();
  await kill9(first.daemon);
  assert.equal(r.living(arg('web')).length, 1, 'the workload outlived the daemon (its own session)');

  const second = await r.start();
  t.after(() => second.client.close());
  await waitUntil('web is adopted', async () => (await second.client.describeProcess('web')).process.state === 'RUNNING');
  const web = await second.client.describeProcess('web');
  assert.equal(web.process.pid, webPid, 'the same process, adopted');
  assert.match(web.recovery, /adopted pid \d+/);
  // Exactly: a restamp at adoption is off by only the restart's duration, which can be short.
  assert.equal(web.process.startedAt?.getTime(), webStarted?.getTime(), 'the adopted run keeps its start time');
  assert.equal(r.living(arg('web')).length, 1, 'not started twice');
  assert.equal(r.living(arg('worker')).length, 1);
  assert.equal((await second.client.describeProcess('idle')).process.state, 'CREATED');
  assert.equal(readFileSync(ranFile, 'utf8'), 'ran\n', 'a one-shot that had finished does not run again');
  assert.equal(r.living(arg('idle')).length, 0);

  const stopped = await second.client.stopProcess('web', { gracePeriodMs: 2_000 });
  assert.equal(stopped.state, 'STOPPED');
  assert.equal(r.living(arg('web')).length, 0, 'the adopted workload was stopped through the new daemon');

  // An adopted workload that ends is noticed, and its restart policy applies ('no': it stays down).
  for (const pid of r.living(arg('worker'))) process.kill(pid, 'SIGKILL');
  await waitUntil('worker is seen gone', async () => (await second.client.describeProcess('worker')).process.state === 'FAILED');

  second.daemon.child.kill('SIGTERM');
  assert.deepEqual(await second.daemon.exited, { code: 0, signal: null }, second.daemon.output());
});

test('after kill -9 of the daemon, its spawner exits at once without touching the workloads, and the next daemon adopts them', async (t) => {
  const r = rig(t);
  const stateDir = path.join(r.dir, 'state');
  const first = await r.start();
  const arg = `3600.${r.marker}`;
  await first.client.createProcess({ name: 'web', command: 'sleep', args: [arg], restart: { policy: 'always' } }, { start: true });
  await waitUntil('web runs', async () => (await first.client.describeProcess('web')).process.state === 'RUNNING');
  const { pid } = (await first.client.describeProcess('web')).process;
  const [spawner] = spawnersFor(stateDir);
  assert.ok(spawner !== undefined, 'the daemon runs a spawner');
  assert.equal(procParent(pid), spawner, 'the workload was spawned by it');
  first.client.close();
  await kill9(first.daemon);
  // Its pipe closed: nothing else tells it to go.
  await waitUntil('the spawner is gone', () => spawnersFor(stateDir).length === 0);
  assert.deepEqual(r.living(arg), [pid], 'the workload outlived both');

  const second = await r.start();
  t.after(() => second.client.close());
  await waitUntil('web is adopted', async () => (await second.client.describeProcess('web')).process.state === 'RUNNING');
  const web = await second.client.describeProcess('web');
  assert.equal(web.process.pid, pid, 'the same process, adopted');
  assert.match(web.recovery, /adopted pid \d+/);
  assert.equal((await second.client.stopProcess('web', { gracePeriodMs: 2_000 })).state, 'STOPPED');
  assert.deepEqual(r.living(arg), []);
  second.daemon.child.kill('SIGTERM');
  assert.deepEqual(await second.daemon.exited, { code: 0, signal: null }, second.daemon.output());
  assert.deepEqual(spawnersFor(stateDir), [], "the daemon's stop ended its spawner");
});

test('kill -9 at random moments of a create/update/delete workload loses no acknowledged change', async (t) => {
  const r = rig(t);
  // What the daemon acknowledged (name → 'absent' | the restart policy last set), and what a
  // change in flight when the daemon died may also have left (durable but never acknowledged).
  const acked = new Map<string, string>();
  const inFlight = new Map<string, string>();
  for (let round = 0; round < 3; round += 1) {
    const { daemon, client } = await r.start();
    const killAt = Date.now() + randomInt(50, 400);
    const workers = [0, 1, 2, 3].map(async (w) => {
      for (let i = 0; Date.now() < killAt + 1_000; i += 1) {
        const name = `p${round}-${w}-${i}`;
        const step = async (value: string, call: () => Promise<unknown>) => {
          inFlight.set(name, value);
          await call();
          acked.set(name, value);
          inFlight.delete(name);
        };
        try {
          await step('no', () =>
            client.createProcess({ name, command: 'sleep', args: [`3600.${r.marker}9`], restart: { policy: 'no' } }),
          );
          await step('always', () => client.updateProcess(name, { restart: { policy: 'always' } }, { updateMask: ['restart.policy'] }));
          if (i % 3 === 0) await step('absent', () => client.deleteProcess(name));
        } catch {
          return; // the daemon died under us: what was acknowledged before is what counts
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, killAt - Date.now())));
    await kill9(daemon);
    await Promise.all(workers);
    client.close();
  }
  const { daemon, client } = await r.start();
  t.after(() => client.close());
  const present = new Map((await client.listProcesses()).map((p) => [p.name, p]));
  let checked = 0;
  for (const [name, expected] of acked) {
    const allowed = new Set([expected, inFlight.get(name)]);
    const found = present.has(name) ? (await client.describeProcess(name)).spec?.restart?.policy : 'absent';
    assert.ok(allowed.has(found), `${name}: found ${found}, acknowledged ${expected}, in flight ${inFlight.get(name)}`);
    checked += 1;
  }
  assert.ok(checked > 10, `only ${checked} acknowledged operations: the workload did not run`);
  daemon.child.kill('SIGTERM');
  assert.deepEqual(await daemon.exited, { code: 0, signal: null }, daemon.output());
});

test('an adopted workload\'s output keeps reaching its log across a kill -9 of the daemon, with no line lost', { timeout: 90_000 }, async (t) => {
  const r = rig(t);
  const first = await r.start();
  // A numbered line every 10 ms: a gap in the numbers would be a line lost while no daemon ran.
  await first.client.createProcess(
    {
      name: 'ticker',
      command: 'sh',
      args: ['-c', 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.01; done', `3600.${r.marker}t`],
      restart: { policy: 'always' },
    },
    { start: true },
  );
  const file = path.join(r.dir, 'state', 'logs', 'ticker.stdout.log');
  const ticks = () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
  await waitUntil('ticks reach the log', () => ticks().length >= 20);
  first.client.close();
  await kill9(first.daemon);
  // While no daemon runs the child keeps writing into its pipe (it holds a reader itself, so no
  // SIGPIPE); the next daemon drains it.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const second = await r.start();
  t.after(() => second.client.close());
  const seen = ticks().length;
  await waitUntil('ticks continue after the restart', () => ticks().length >= seen + 50);
  const numbers = ticks().map((line) => Number(/^tick (\d+)$/.exec(line)?.[1]));
  numbers.forEach((n, i) => assert.equal(n, i + 1, `line ${i + 1} is "tick ${i + 1}", not "tick ${n}"`));
  assert.equal(r.living(`3600.${r.marker}t`).length, 1, 'the same ticker, adopted, not a second one');
  second.daemon.child.kill('SIGTERM');
  assert.deepEqual(await second.daemon.exited, { code: 0, signal: null }, second.daemon.output());
});

/** The first JSON log line of a daemon's output that `match` accepts. */
function logLine(output: string, match: (entry: Record<string, unknown>) => boolean): Record<string, unknown> | undefined {
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (match(entry)) return entry;
  }
  return undefined;
}

for (const cgroups of [true, false]) {
  const where = cgroups ? 'in its cgroup' : 'told apart by their marker where no cgroup can be made';
  test(`after kill -9, the setsid'd descendants of an adopted service keep running (${where})`, { skip: cgroups && needsSomeCgroup }, async (t) => {
    // Regression: recovery stopped every other marked group leader, so sessions that a managed
    // sshd or tmux had started were SIGTERMed, then SIGKILLed, without a log line.
    const r = rig(t);
    const extra = cgroups ? [] : ['--cgroup-root', mkdtempSync(path.join(r.dir, 'no-cgroups-'))];
    const first = await r.start(extra);
    const m = r.marker;
    const script = `setsid sleep 3601.${m} & setsid sleep 3602.${m} & exec sleep 3600.${m}`;
    await first.client.createProcess({ name: 'sshd', command: 'sh', args: ['-c', script], restart: { policy: 'always' } }, { start: true });
    await waitUntil('the service and both sessions run', () => sleepsWithMarker(m).length === 3);
    const sessions = [...r.living(`3601.${m}`), ...r.living(`3602.${m}`)];
    assert.equal(sessions.length, 2);
    first.client.close();
    await kill9(first.daemon);

    const second = await r.start(extra);
    t.after(() => second.client.close());
    await waitUntil('sshd is adopted', async () => (await second.client.describeProcess('sshd')).process.state === 'RUNNING');
    assert.deepEqual([...r.living(`3601.${m}`), ...r.living(`3602.${m}`)], sessions, 'both sessions still run, the same processes');
    const { recovery } = await second.client.describeProcess('sshd');
    assert.match(recovery, /^adopted pid \d+/);
    assert.match(recovery, /2 other processes of it left running/);

    // The stop of the adopted service follows its kill mode: control-group reaches the sessions,
    // process-group (the default without a cgroup) does not, as before the daemon restarted.
    await second.client.stopProcess('sshd', { gracePeriodMs: 2_000 });
    assert.deepEqual(sleepsWithMarker(m).sort(), cgroups ? [] : sessions.sort(), 'what the stop left running');
    second.daemon.child.kill('SIGTERM');
    assert.deepEqual(await second.daemon.exited, { code: 0, signal: null }, second.daemon.output());
  });
}

test('after kill -9, strays of a deleted process and of a workload that ended are stopped, logged and shown', async (t) => {
  const r = rig(t);
  const first = await r.start();
  const m = r.marker;
  const script = `setsid sleep 3601.${m} & exec sleep 3600.${m}`;
  await first.client.createProcess({ name: 'web', command: 'sh', args: ['-c', script], restart: { policy: 'always' } }, { start: true });
  await waitUntil('web and its session run', () => sleepsWithMarker(m).length === 2);
  const [leftover] = r.living(`3601.${m}`);
  const [main] = r.living(`3600.${m}`);
  assert.ok(leftover !== undefined && main !== undefined);
  first.client.close();
  await kill9(first.daemon);
  // While the daemon is down, web's main process ends: its session is left over, unadopted.
  process.kill(main, 'SIGKILL');
  await waitUntil('web has ended', () => r.living(`3600.${m}`).length === 0);
  // A workload of a process deleted meanwhile: the daemon's marker, no definition.
  const deletedId = randomUUID();
  const stray = spawn('sleep', [`3603.${m}`], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, STATEVISOR_PROCESS_ID: deletedId, STATEVISOR_MANAGED_BY: path.join(r.dir, 'state') },
  });
  stray.unref();
  const strayPid = stray.pid!;

  const second = await r.start();
  t.after(() => second.client.close());
  await waitUntil('the stray is stopped', () => procState(strayPid) === undefined || procState(strayPid) === 'Z');
  await waitUntil('the leftover is stopped', () => procState(leftover) === undefined || procState(leftover) === 'Z');
  await waitUntil('web runs again', async () => (await second.client.describeProcess('web')).process.state === 'RUNNING');
  const { recovery } = await second.client.describeProcess('web');
  assert.match(recovery, new RegExp(`stopped pid ${leftover} \\(sleep\\): its main process ended while the daemon was down`), recovery);
  assert.match(recovery, /started again/, recovery);

  const output = second.daemon.output();
  const strayLog = logLine(output, (e) => e.pid === strayPid && e.signal === 'SIGTERM');
  assert.ok(strayLog, `a log line for the stray of the deleted process:\n${output}`);
  assert.equal(strayLog.processId, deletedId);
  assert.match(String(strayLog.reason), /no longer exists/);
  const leftoverLog = logLine(output, (e) => e.pid === leftover && e.signal === 'SIGTERM');
  assert.ok(leftoverLog, `a log line for web's leftover:\n${output}`);
  assert.equal(leftoverLog.process, 'web');
  second.daemon.child.kill('SIGTERM');
  assert.deepEqual(await second.daemon.exited, { code: 0, signal: null }, second.daemon.output());
});
