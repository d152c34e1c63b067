/**
 * Dependencies between processes end to end: a real daemon, real children that stamp the order
 * in which they start and stop into a file (`date +%s%N`), compared by order only, never by
 * duration. Every wait is on Describe's state; a health check is made healthy by the test
 * creating a file, so that a wait is seen for certain before it ends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestDaemon, type DaemonHarness } from '../helpers/daemon-harness.js';
import { daemonFor, described, untilDescribed } from '../helpers/process-waits.js';
import { newMarker, waitUntil } from '../helpers/leaks.js';
import { cliOn } from '../cli/run.js';
import { isInvalidArgument, isInvalidState, type Process, type ProcessSpecInput } from '../../src/client/index.js';

const wait = { timeoutMs: 20_000 };
const bounded = { timeout: 90_000 };

const daemon = daemonFor;
const proc = described;
const until = (h: DaemonHarness, name: string, what: string, check: (p: Process) => boolean): Promise<Process> =>
  untilDescribed(h, name, what, check, { ...wait, summary: (p) => ({ state: p.state, waitingFor: p.waitingFor, lastError: p.lastError }) });

const orderFile = (h: DaemonHarness) => path.join(h.dir, 'order');

/** A long-running child that stamps "start NAME" when it begins and "stop NAME" on SIGTERM. */
function stamper(h: DaemonHarness, name: string, extra: Omit<Partial<ProcessSpecInput>, 'command' | 'runtime'> = {}): ProcessSpecInput {
  return { ...stamperAt(orderFile(h), name, h.sleepArgs()[0]!), ...extra };
}

/** `slowStop`: the child takes a moment before it stamps its stop, so that only ordering puts it first. */
function stamperAt(file: string, name: string, sleepArg: string, slowStop = false): ProcessSpecInput {
  const stamp = (what: string) => `echo "$(date +%s%N) ${what} ${name}" >> ${file}`;
  return {
    name,
    command: 'sh',
    args: ['-c', `${stamp('start')}; trap '${slowStop ? 'sleep 0.5; ' : ''}${stamp('stop')}; exit 0' TERM; sleep ${sleepArg} & wait`],
    stop: { gracePeriodMs: 10_000 },
  };
}

/** The stamps in time order: ["start db", "start web", …]. */
function stamps(h: DaemonHarness): string[] {
  return stampsOf(orderFile(h));
}

function stampsOf(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(' '))
    .sort((a, b) => (BigInt(a[0]!) < BigInt(b[0]!) ? -1 : 1))
    .map(([, what, name]) => `${what} ${name}`);
}

/** A health check that passes once the test creates `file`. */
function readyWhen(file: string): ProcessSpecInput['healthCheck'] {
  return { type: 'exec', command: 'test', args: ['-f', file], intervalMs: 100, timeoutMs: 2_000, failureThreshold: 1, successThreshold: 1 } as ProcessSpecInput['healthCheck'];
}

test('requires db:healthy starts db first, shows the wait in Describe, and starts web once db is healthy', bounded, async (t) => {
  const h = await daemon(t);
  const ready = path.join(h.dir, 'db.ready');
  await h.client.createProcess(stamper(h, 'db', { healthCheck: readyWhen(ready) }));
  await h.client.createProcess(stamper(h, 'web', { requires: ['db:healthy'] }));
  await h.client.startProcess('web');
  const waiting = await until(h, 'web', 'waits for db (healthy)', (p) => p.waitingFor === 'db (healthy)');
  assert.equal(waiting.state, 'STARTING');
  assert.equal(waiting.pid, 0);
  const described = await cliOn(h.socket)('describe', 'web');
  assert.match(described.stdout, /STARTING \(phase starting\), waiting for db \(healthy\)/);
  await until(h, 'db', 'started by the pull-in', (p) => p.pid > 0);
  assert.deepEqual(stamps(h), ['start db']);
  writeFileSync(ready, '');
  await until(h, 'web', 'running', (p) => p.state === 'RUNNING' && p.waitingFor === '');
  await waitUntil('web stamped its start', async () => stamps(h).length === 2, wait);
  assert.deepEqual(stamps(h), ['start db', 'start web']);
});

test('stopping a requirement stops what requires it first (reverse order)', bounded, async (t) => {
  const h = await daemon(t);
  await h.client.createProcess(stamper(h, 'db'));
  await h.client.createProcess(stamper(h, 'web', { requires: ['db'] }));
  await h.client.startProcess('web');
  await until(h, 'web', 'running', (p) => p.state === 'RUNNING');
  await waitUntil('both stamped their start', async () => stamps(h).length === 2, wait);
  await h.client.stopProcess('db');
  assert.equal((await proc(h, 'web')).state, 'STOPPED');
  assert.equal((await proc(h, 'db')).state, 'STOPPED');
  assert.deepEqual(stamps(h), ['start db', 'start web', 'stop web', 'stop db']);
});

test('a config loaded at start is started in dependency order, and daemon shutdown stops it in reverse order', bounded, async (t) => {
  const config = mkdtempSync(path.join(os.tmpdir(), 'statevisor-deps-'));
  t.after(() => rmSync(config, { recursive: true, force: true }));
  const marker = newMarker();
  const order = path.join(config, 'order');
  const ready = path.join(config, 'b2.ready');
  const spec = (name: string, extra: Partial<ProcessSpecInput>, slowStop = false) => ({ ...stamperAt(order, name, `3600.${marker}`, slowStop), autoStart: true, ...extra });
  // In file order a1 comes first, though it needs the two others: the reload orders the creates and starts.
  writeFileSync(path.join(config, 'a1.json'), JSON.stringify(spec('a1', { after: ['b2:healthy'] }, true)));
  writeFileSync(path.join(config, 'b2.json'), JSON.stringify(spec('b2', { healthCheck: readyWhen(ready) })));
  writeFileSync(path.join(config, 'c3.json'), JSON.stringify(spec('c3', { before: ['a1'] })));
  const h = await startTestDaemon({ configPath: config, marker });
  let closed = false;
  t.after(async () => {
    if (!closed) await h.close();
  });
  assert.deepEqual((await h.client.listProcesses()).map((p) => p.name).sort(), ['a1', 'b2', 'c3']);
  await until(h, 'a1', 'waits for b2 (healthy)', (p) => p.waitingFor === 'b2 (healthy)');
  writeFileSync(ready, '');
  for (const name of ['a1', 'b2', 'c3']) await until(h, name, 'running', (p) => p.state === 'RUNNING');
  await waitUntil('all stamped their start', async () => stampsOf(order).length === 3, wait);
  closed = true;
  await h.close();
  const seen = stampsOf(order);
  const at = (what: string) => seen.indexOf(what);
  assert.ok(at('start b2') < at('start a1') && at('start c3') < at('start a1'), seen.join(', '));
  assert.ok(at('stop a1') < at('stop b2') && at('stop a1') < at('stop c3'), seen.join(', '));
});

test('after alone never waits for an idle process, and never fails', bounded, async (t) => {
  const h = await daemon(t);
  await h.client.createProcess(stamper(h, 'idle'));
  await h.client.createProcess(stamper(h, 'app', { after: ['idle:healthy'] }));
  await h.client.startProcess('app');
  await until(h, 'app', 'running', (p) => p.state === 'RUNNING');
  assert.equal((await proc(h, 'idle')).state, 'CREATED');
});

test('a requirement that fails ends the process FAILED with "requirement X failed", without a restart', bounded, async (t) => {
  const h = await daemon(t);
  // It never starts: there is no such program.
  await h.client.createProcess({ name: 'db', command: path.join(h.dir, 'no-such-program'), restart: { policy: 'no' } });
  await h.client.createProcess(stamper(h, 'web', { requires: ['db'], restart: { policy: 'always', delayMs: 0 } }));
  await h.client.startProcess('web');
  const web = await until(h, 'web', 'failed', (p) => p.state === 'FAILED');
  assert.match(web.lastError, /^requirement db failed: it is FAILED/);
  assert.equal(web.restartCount, 0);
  assert.deepEqual(stamps(h), [], 'web never ran');
  assert.equal((await proc(h, 'db')).state, 'FAILED');
});

test('a wanted process that fails does not stop the process that wants it', bounded, async (t) => {
  const h = await daemon(t);
  await h.client.createProcess({ name: 'cache', command: 'sh', args: ['-c', 'exit 3'], restart: { policy: 'no' } });
  await h.client.createProcess(stamper(h, 'web', { wants: ['cache'] }));
  await h.client.startProcess('web');
  await until(h, 'web', 'running', (p) => p.state === 'RUNNING');
  assert.equal((await proc(h, 'cache')).state, 'FAILED');
});

test('requires a oneshot:completed_successfully starts after it exited 0', bounded, async (t) => {
  const h = await daemon(t);
  const file = orderFile(h);
  await h.client.createProcess({
    name: 'migrate',
    type: 'oneshot',
    command: 'sh',
    args: ['-c', `echo "$(date +%s%N) start migrate" >> ${file}; sleep 0.2; echo "$(date +%s%N) done migrate" >> ${file}`],
  });
  await h.client.createProcess(stamper(h, 'app', { requires: ['migrate:completed_successfully'] }));
  await h.client.startProcess('app');
  await until(h, 'app', 'running', (p) => p.state === 'RUNNING');
  await waitUntil('app stamped its start', async () => stamps(h).includes('start app'), wait);
  assert.deepEqual(stamps(h), ['start migrate', 'done migrate', 'start app']);
  assert.equal((await proc(h, 'migrate')).state, 'EXITED');
});

test('binds_to: a target killed with SIGKILL stops the process bound to it', bounded, async (t) => {
  const h = await daemon(t);
  await h.client.createProcess(stamper(h, 'db'));
  await h.client.createProcess(stamper(h, 'web', { bindsTo: ['db'] }));
  await h.client.startProcess('web');
  await until(h, 'web', 'running', (p) => p.state === 'RUNNING');
  const db = await until(h, 'db', 'running', (p) => p.state === 'RUNNING');
  process.kill(db.pid, 'SIGKILL');
  await until(h, 'web', 'stopped', (p) => p.state === 'STOPPED');
});

test('conflicts: starting either process stops the other, both ways', bounded, async (t) => {
  const h = await daemon(t);
  await h.client.createProcess(stamper(h, 'blue', { conflicts: ['green'] }));
  await h.client.createProcess(stamper(h, 'green'));
  await h.client.startProcess('blue');
  await until(h, 'blue', 'running', (p) => p.state === 'RUNNING');
  await h.client.startProcess('green');
  await until(h, 'blue', 'stopped by green', (p) => p.state === 'STOPPED');
  await until(h, 'green', 'running', (p) => p.state === 'RUNNING');
  await h.client.startProcess('blue');
  await until(h, 'green', 'stopped by blue', (p) => p.state === 'STOPPED');
  await until(h, 'blue', 'running', (p) => p.state === 'RUNNING');
});

async function refusal(call: Promise<unknown>): Promise<Error> {
  const error = await call.then(
    () => undefined,
    (e: Error) => e,
  );
  assert.ok(error, 'the call was refused');
  return error;
}

test('a dependency cycle is refused at create and at update, the cycle named', bounded, async (t) => {
  const h = await daemon(t);
  const plain = (name: string, extra: Partial<ProcessSpecInput> = {}) => ({ name, command: 'true', ...extra });
  await h.client.createProcess(plain('a'));
  await h.client.createProcess(plain('b', { after: ['a'] }));
  await h.client.createProcess(plain('c', { requires: ['b'] }));
  const created = await refusal(h.client.createProcess(plain('x', { wants: ['c'], before: ['a'] })));
  assert.ok(isInvalidArgument(created), created.message);
  assert.match(created.message, /(wants\[0\]: "c"|before\[0\]: "a") makes a dependency cycle: a → x → c → b → a/);
  const updated = await refusal(h.client.updateProcess('a', { after: ['c'] }));
  assert.ok(isInvalidArgument(updated), updated.message);
  assert.match(updated.message, /after\[0\]: "c" makes a dependency cycle: a → c → b → a/);
  assert.deepEqual((await h.client.describeProcess('a')).spec?.after ?? [], []);
  // A create whose only way out of the new process is another's `before` naming it (the check
  // skips the graph for a process with no way out: creating 10,000 was quadratic).
  await h.client.createProcess(plain('p', { before: ['q'] }));
  const closing = await refusal(h.client.createProcess(plain('q', { before: ['p'] })));
  assert.match(closing.message, /makes a dependency cycle: (p → q → p|q → p → q)/);
  await h.client.createProcess(plain('r', { before: ['p'] }));
});

test('a dependency on a process that does not exist is refused, naming it', bounded, async (t) => {
  const h = await daemon(t);
  const error = await refusal(h.client.createProcess({ name: 'web', command: 'true', requires: ['db:healthy'] }));
  assert.ok(isInvalidArgument(error), error.message);
  assert.match(error.message, /requires\[0\]: got "db", expected the name of an existing process \(there is no 'db'\)/);
  await assert.rejects(h.client.describeProcess('web'));
});

test('a condition outside started, healthy and completed_successfully is refused with the field', bounded, async (t) => {
  const h = await daemon(t);
  await h.client.createProcess({ name: 'db', command: 'true' });
  const error = await refusal(h.client.createProcess({ name: 'web', command: 'true', after: ['db:ready'] }));
  assert.ok(isInvalidArgument(error), error.message);
  assert.match(error.message, /after\[0\]/);
  assert.match(error.message, /:completed_successfully/);
});

test('deleting a process that others require or bind to is refused without force, naming them', bounded, async (t) => {
  const h = await daemon(t);
  await h.client.createProcess({ name: 'db', command: 'true' });
  await h.client.createProcess({ name: 'web', command: 'true', requires: ['db'] });
  await h.client.createProcess({ name: 'worker', command: 'true', bindsTo: ['db'] });
  const error = await refusal(h.client.deleteProcess('db'));
  assert.ok(isInvalidState(error), error.message);
  assert.match(error.message, /process 'db' is required by web, worker/);
  await h.client.deleteProcess('db', { force: true });
  await assert.rejects(h.client.describeProcess('db'));
});

test('statevisor stop a b c stops dependents first, whatever the order of the names', bounded, async (t) => {
  const h = await daemon(t);
  await h.client.createProcess(stamper(h, 'a'));
  await h.client.createProcess(stamper(h, 'b', { after: ['a'] }));
  await h.client.createProcess(stamper(h, 'c', { after: ['b'] }));
  for (const name of ['a', 'b', 'c']) await h.client.startProcess(name);
  for (const name of ['a', 'b', 'c']) await until(h, name, 'running', (p) => p.state === 'RUNNING');
  await waitUntil('all stamped their start', async () => stamps(h).length === 3, wait);
  const result = await cliOn(h.socket)('stop', 'a', 'b', 'c');
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'stopped c (STOPPED)\nstopped b (STOPPED)\nstopped a (STOPPED)\n');
  assert.deepEqual(stamps(h).slice(3), ['stop c', 'stop b', 'stop a']);
});

test('a reload refuses the members of a dependency cycle, naming it, and applies the rest', bounded, async (t) => {
  const config = mkdtempSync(path.join(os.tmpdir(), 'statevisor-deps-'));
  t.after(() => rmSync(config, { recursive: true, force: true }));
  writeFileSync(path.join(config, 'ok.json'), JSON.stringify({ command: 'true' }));
  const h = await startTestDaemon({ configPath: config });
  t.after(() => h.close());
  writeFileSync(path.join(config, 'x.json'), JSON.stringify({ command: 'true', after: ['y'] }));
  writeFileSync(path.join(config, 'y.json'), JSON.stringify({ command: 'true', requires: ['x'] }));
  writeFileSync(path.join(config, 'z.json'), JSON.stringify({ command: 'true', after: ['ok'] }));
  const result = await h.client.reloadConfig();
  assert.deepEqual(result.added, ['z']);
  assert.deepEqual(result.errors, ['x: dependency cycle: x → y → x', 'y: dependency cycle: x → y → x']);
});

test('statevisor start c b a starts them in dependency order, each once the one before runs', bounded, async (t) => {
  const h = await daemon(t);
  await h.client.createProcess(stamper(h, 'a'));
  await h.client.createProcess(stamper(h, 'b', { after: ['a'] }));
  await h.client.createProcess(stamper(h, 'c', { requires: ['b'] }));
  const result = await cliOn(h.socket)('start', 'c', 'b', 'a');
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(
    result.stdout.trimEnd().split('\n').map((line) => line.split(' ').slice(0, 2).join(' ')),
    ['started a', 'started b', 'started c'],
  );
  await waitUntil('all stamped their start', async () => stamps(h).length === 3, wait);
  assert.deepEqual(stamps(h), ['start a', 'start b', 'start c']);
});
