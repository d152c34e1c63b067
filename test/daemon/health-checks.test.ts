/**
 * Health checks end to end: a real daemon over its Unix socket, real children, real probes
 * against servers the test owns (HTTP, TCP, gRPC) and real exec probes. Every wait is on
 * observable state (Describe, WatchEvents, the test server's request count), never on time.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { startTestDaemon, type DaemonHarness } from '../helpers/daemon-harness.js';
import { daemonFor, described, untilDescribed } from '../helpers/process-waits.js';
import { killMarked, pidsWithMarker, procParent, procState, waitUntil } from '../helpers/leaks.js';
import type { Process, ProcessEvent } from '../../src/client/index.js';
import { collect } from '../helpers/events.js';
import { needsRoot } from '../helpers/requirements.js';

const wait = { timeoutMs: 15_000 };
/** A hang (a stream that never ends) fails its test instead of stalling the file. */
const bounded = { timeout: 60_000 };

const daemon = daemonFor;
const proc = described;
/** Poll Describe until `check` holds; return the process as it was then. */
const until = (h: DaemonHarness, name: string, what: string, check: (p: Process) => boolean): Promise<Process> =>
  untilDescribed(h, name, what, check, { ...wait, summary: (p) => brief(p) });

const brief = (p: Process) => ({
  state: p.state,
  pid: p.pid,
  health: p.health,
  healthFailures: p.healthFailures,
  healthMessage: p.healthMessage,
  runCount: p.runCount,
  restartCount: p.restartCount,
  lastError: p.lastError,
});

/** The pid no longer runs: gone, a zombie the test process does not own, or reused by another command. */
function goneOrReused(pid: number, marker: string): boolean {
  const state = procState(pid);
  if (state === undefined) return true;
  if (state === 'Z') return procParent(pid) !== process.pid;
  try {
    return !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return true;
  }
}

/** Marked processes that still run (zombies excluded: those are checked separately). */
function liveMarked(marker: string): number[] {
  return pidsWithMarker(marker).filter((pid) => {
    const state = procState(pid);
    return state !== undefined && state !== 'Z';
  });
}

/**
 * An HTTP server the test steers: each request is answered with the next status of `script`,
 * else `status`. With `holdRequest` = n, the n-th request is held unanswered until `release()`.
 */
interface StatusServer {
  readonly url: string;
  status: number;
  script: number[];
  requests: number;
  holdRequest: number;
  readonly held: http.ServerResponse[];
  release(): void;
}

async function statusServer(t: TestContext, status: number): Promise<StatusServer> {
  const server = http.createServer((request, response) => {
    request.resume();
    state.requests += 1;
    if (state.requests === state.holdRequest) {
      state.held.push(response);
      return;
    }
    answer(response);
  });
  const answer = (response: http.ServerResponse) => {
    const code = state.script.shift() ?? state.status;
    response.writeHead(code, { connection: 'close', 'content-type': 'text/plain' }).end(`status ${code}\n`);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const state: StatusServer = {
    url: `http://127.0.0.1:${port}/healthz`,
    status,
    script: [],
    requests: 0,
    holdRequest: 0,
    held: [],
    release() {
      for (const response of state.held.splice(0)) answer(response);
    },
  };
  t.after(async () => {
    state.release();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return state;
}

/** A port nothing listens on right now: bound to port 0, then released. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The promise's value, or a failure naming `what` once `ms` have passed. */
test('http: STARTING while the endpoint answers 503, RUNNING/HEALTHY on 200, UNHEALTHY (still RUNNING) on 503 again', bounded, async (t) => {
  const h = await daemon(t);
  const server = await statusServer(t, 503);
  // The second probe is held unanswered: while it hangs, the first verdict (a 503) stands still.
  server.holdRequest = 2;
  await h.client.createProcess(
    {
      name: 'web',
      command: 'sleep',
      args: h.sleepArgs(),
      healthCheck: { type: 'http', url: server.url, intervalMs: 100, timeoutMs: 10_000, failureThreshold: 2, successThreshold: 1 },
    },
    { start: true },
  );
  await waitUntil('the second probe is held', () => server.held.length === 1, wait);
  const starting = await until(h, 'web', 'the first 503 is counted', (p) => p.healthFailures === 1);
  assert.equal(starting.state, 'STARTING', 'not healthy yet: STARTING');
  assert.equal(starting.health, 'STARTING', 'one failure is below failure_threshold 2');
  assert.match(starting.healthMessage, /503/);
  assert.ok(starting.pid > 0, 'the process has spawned and is being probed');
  const pid = starting.pid;

  server.status = 200;
  server.release();
  const healthy = await until(h, 'web', 'HEALTHY', (p) => p.health === 'HEALTHY');
  assert.equal(healthy.state, 'RUNNING', 'the first HEALTHY verdict makes it RUNNING');
  assert.equal(healthy.healthFailures, 0);
  assert.match(healthy.healthMessage, /200/);

  // Two 503s, then the third probe is held: the verdict after exactly failure_threshold failures.
  server.holdRequest = server.requests + 3;
  server.status = 503;
  await waitUntil('the third probe after the flip is held', () => server.held.length === 1, wait);
  const unhealthy = await until(h, 'web', 'two failures counted', (p) => p.healthFailures === 2);
  assert.equal(unhealthy.health, 'UNHEALTHY', 'failure_threshold 2 failures in a row make it UNHEALTHY');
  assert.match(unhealthy.healthMessage, /503/);
  assert.equal(unhealthy.state, 'RUNNING', 'once healthy in this run, it stays RUNNING while unhealthy');
  assert.equal(unhealthy.pid, pid, 'restart_after 0: never restarted for it');
  assert.equal(unhealthy.restartCount, 0);
});

test('restart_after: an unhealthy process is stopped with its stop signal and started again, whatever the policy', bounded, async (t) => {
  const h = await daemon(t);
  const server = await statusServer(t, 200);
  await h.client.createProcess(
    {
      name: 'api',
      command: 'sleep',
      args: h.sleepArgs(),
      restart: { policy: 'no', delayMs: 0, startLimitBurst: 5, startLimitIntervalMs: 60_000 },
      // SIGUSR1 ends sleep too: seeing it as the old run's signal proves the normal stop path.
      stop: { signal: 'SIGUSR1', gracePeriodMs: 5_000 },
      healthCheck: { type: 'http', url: server.url, intervalMs: 100, timeoutMs: 5_000, failureThreshold: 1, restartAfter: 2 },
    },
    { start: true },
  );
  const first = await until(h, 'api', 'healthy in run 1', (p) => p.health === 'HEALTHY' && p.state === 'RUNNING');
  assert.equal(first.runCount, 1);
  const oldPid = first.pid;

  // Exactly two failures, then healthy again: the second one restarts it, the new run is healthy.
  server.script = [503, 503];
  const second = await until(h, 'api', 'healthy in run 2', (p) => p.runCount === 2 && p.health === 'HEALTHY' && p.state === 'RUNNING');
  assert.notEqual(second.pid, oldPid, 'a new pid');
  assert.ok(second.pid > 0);
  assert.equal(second.restartCount, 1);
  assert.equal(second.runCount, 2);
  assert.equal(second.healthFailures, 0);
  assert.equal(second.signal, 'SIGUSR1', 'the old run was ended by the configured stop signal');
  assert.ok(goneOrReused(oldPid, h.marker), `old pid ${oldPid} is ${procState(oldPid)}, parent ${procParent(oldPid)}`);
  const described = await h.client.describeProcess('api');
  assert.equal(described.counters.failureStreak, 1, 'the unhealthy restart counts as a failure');
  assert.match(second.lastError, /unhealthy: 2 health checks failed in a row/);

  // A success resets the count: 503, 200, 503 never makes 2 failures in a row, so no restart.
  const before = server.requests;
  server.script = [503, 200, 503];
  await waitUntil('the three scripted answers and two more were served', () => server.requests >= before + 5, wait);
  const after = await until(h, 'api', 'healthy again', (p) => p.health === 'HEALTHY');
  assert.equal(after.restartCount, 1, 'interleaved successes reset the failure count: no restart');
  assert.equal(after.pid, second.pid);
  assert.equal(after.healthFailures, 0);
});

test('restart_after restarts count as failures: the start limit ends them in FAILED', bounded, async (t) => {
  const h = await daemon(t);
  const server = await statusServer(t, 503);
  await h.client.createProcess(
    {
      name: 'sick',
      command: 'sleep',
      args: h.sleepArgs(),
      restart: { policy: 'always', delayMs: 0, startLimitBurst: 2, startLimitIntervalMs: 60_000 },
      healthCheck: { type: 'http', url: server.url, intervalMs: 100, timeoutMs: 5_000, failureThreshold: 1, restartAfter: 1 },
    },
    { start: true },
  );
  const failed = await until(h, 'sick', 'FAILED', (p) => p.state === 'FAILED');
  assert.equal(failed.runCount, 2, 'restarted once, then the start limit (2 starts) stopped it');
  assert.equal(failed.pid, 0);
  assert.match(failed.lastError, /unhealthy: 1 health checks failed in a row; start limit reached/);
});

test('tcp: a process listening on its port is HEALTHY; a closed port stays STARTING and unhealthy with ECONNREFUSED', bounded, async (t) => {
  const h = await daemon(t);
  const port = await freePort();
  const closed = await freePort();
  const listen = `require('net').createServer((s) => s.destroy()).listen(${port}, '127.0.0.1')`;
  await h.client.createProcess(
    {
      name: 'listener',
      command: process.execPath,
      args: ['-e', listen, h.marker],
      healthCheck: { type: 'tcp', port, intervalMs: 100, timeoutMs: 5_000, failureThreshold: 3 },
    },
    { start: true },
  );
  await h.client.createProcess(
    {
      name: 'deaf',
      command: 'sleep',
      args: h.sleepArgs(),
      healthCheck: { type: 'tcp', host: '127.0.0.1', port: closed, intervalMs: 100, timeoutMs: 5_000, failureThreshold: 2 },
    },
    { start: true },
  );
  const listener = await until(h, 'listener', 'HEALTHY', (p) => p.health === 'HEALTHY');
  assert.equal(listener.state, 'RUNNING');
  assert.match(listener.healthMessage, new RegExp(`${port}`));

  const deaf = await until(h, 'deaf', 'UNHEALTHY', (p) => p.health === 'UNHEALTHY');
  assert.equal(deaf.state, 'STARTING', 'never healthy in this run: still STARTING');
  assert.ok(deaf.healthFailures >= 2);
  assert.match(deaf.healthMessage, /ECONNREFUSED/);
});

test('exec: `test -f FILE` is unhealthy until the file exists, then HEALTHY', bounded, async (t) => {
  const h = await daemon(t);
  const file = path.join(h.dir, `ready.${h.marker}`);
  await h.client.createProcess(
    {
      name: 'worker',
      command: 'sleep',
      args: h.sleepArgs(),
      healthCheck: { type: 'exec', command: 'test', args: ['-f', file], intervalMs: 100, timeoutMs: 5_000, failureThreshold: 1 },
    },
    { start: true },
  );
  const unhealthy = await until(h, 'worker', 'UNHEALTHY', (p) => p.health === 'UNHEALTHY');
  assert.equal(unhealthy.state, 'STARTING');
  assert.match(unhealthy.healthMessage, /exit code 1/);

  writeFileSync(file, 'ok\n');
  const healthy = await until(h, 'worker', 'HEALTHY', (p) => p.health === 'HEALTHY');
  assert.equal(healthy.state, 'RUNNING');
  assert.equal(healthy.healthFailures, 0);
  assert.equal(healthy.pid, unhealthy.pid);
});

test('exec: a probe that hangs past its timeout is killed and reported as timed out', bounded, async (t) => {
  const h = await daemon(t);
  // The probe's marker extends the harness's, so the harness's leak check covers it too.
  const probeMarker = `${h.marker}7`;
  t.after(() => killMarked(probeMarker));
  await h.client.createProcess(
    {
      name: 'slowcheck',
      command: 'sleep',
      args: h.sleepArgs(),
      healthCheck: { type: 'exec', command: 'sleep', args: [`30.${probeMarker}`], intervalMs: 100, timeoutMs: 200, failureThreshold: 1 },
    },
    { start: true },
  );
  // Probes come one after another; each must be gone before the next one: never two alive.
  const seen = new Set<number>();
  let mostAlive = 0;
  await waitUntil(
    'four hanging probes have come and gone',
    () => {
      const alive = liveMarked(probeMarker);
      mostAlive = Math.max(mostAlive, alive.length);
      for (const pid of alive) seen.add(pid);
      const gone = [...seen].filter((pid) => goneOrReused(pid, probeMarker));
      return gone.length >= 4;
    },
    { timeoutMs: 20_000, intervalMs: 10 },
  );
  assert.ok(mostAlive <= 1, `${mostAlive} probes were alive at once: timed-out probes were left running`);
  const p = await until(h, 'slowcheck', 'UNHEALTHY', (q) => q.health === 'UNHEALTHY');
  assert.match(p.healthMessage, /timed out after 200 ms/);
  assert.equal(p.state, 'STARTING');
  assert.equal(p.restartCount, 0);

  await h.client.stopProcess('slowcheck');
  await waitUntil('no probe survives the stop', () => liveMarked(probeMarker).length === 0, wait);
  const unreaped = [...seen].filter((pid) => procState(pid) === 'Z' && procParent(pid) === process.pid);
  assert.deepEqual(unreaped, [], 'probe zombies the daemon did not reap');
});

test('grpc: grpc.health.v1 SERVING is HEALTHY, NOT_SERVING is UNHEALTHY', bounded, async (t) => {
  const h = await daemon(t);
  const server = new Server();
  new HealthImplementation({ '': 'SERVING', svc: 'NOT_SERVING' }).addToServer(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  t.after(() => server.forceShutdown());
  // A 30 s interval: a verdict within the wait comes from the probe run as soon as the process spawned.
  const check = { type: 'grpc' as const, port, intervalMs: 30_000, timeoutMs: 5_000, failureThreshold: 1 };
  await h.client.createProcess({ name: 'whole', command: 'sleep', args: h.sleepArgs(), healthCheck: { ...check, service: '' } }, { start: true });
  await h.client.createProcess({ name: 'part', command: 'sleep', args: h.sleepArgs(), healthCheck: { ...check, service: 'svc' } }, { start: true });

  const whole = await until(h, 'whole', 'HEALTHY', (p) => p.health === 'HEALTHY');
  assert.equal(whole.state, 'RUNNING');
  assert.match(whole.healthMessage, /SERVING/);
  const part = await until(h, 'part', 'UNHEALTHY', (p) => p.health === 'UNHEALTHY');
  assert.equal(part.state, 'STARTING');
  assert.match(part.healthMessage, /NOT_SERVING/);
});

test('start_period: failures within it are not counted; after it, one failure makes it UNHEALTHY', bounded, async (t) => {
  const h = await daemon(t);
  const server = await statusServer(t, 503);
  const startPeriodMs = 2_000;
  const t0 = Date.now();
  await h.client.createProcess(
    {
      name: 'slowstart',
      command: 'sleep',
      args: h.sleepArgs(),
      healthCheck: { type: 'http', url: server.url, intervalMs: 100, timeoutMs: 5_000, failureThreshold: 1, startPeriodMs },
    },
    { start: true },
  );
  // The start period begins after t0, so whatever Describe answered before t0 + 2 s was inside it.
  let checkedAfterProbes = 0;
  await waitUntil(
    'the first second is over',
    async () => {
      const probesBefore = server.requests;
      const p = await proc(h, 'slowstart');
      const answeredAt = Date.now();
      if (answeredAt < t0 + startPeriodMs) {
        assert.equal(p.health, 'STARTING', `within start_period: ${JSON.stringify(brief(p))}`);
        assert.equal(p.healthFailures, 0, `within start_period: ${JSON.stringify(brief(p))}`);
        assert.equal(p.state, 'STARTING');
        if (probesBefore >= 2) checkedAfterProbes += 1;
      }
      return answeredAt >= t0 + 1_000;
    },
    { timeoutMs: 15_000, intervalMs: 50 },
  );
  assert.ok(checkedAfterProbes > 0, 'probes answered 503 while the start period ran, and were not counted');
  assert.match((await proc(h, 'slowstart')).healthMessage, /503/, 'the probes ran and their message is shown');

  const unhealthy = await until(h, 'slowstart', 'UNHEALTHY', (p) => p.health === 'UNHEALTHY');
  assert.ok(Date.now() >= t0 + startPeriodMs, 'not before the start period is over');
  assert.ok(unhealthy.healthFailures >= 1);
  assert.equal(unhealthy.state, 'STARTING');
});

test('events: a health event to HEALTHY, then the transition STARTING→RUNNING', bounded, async (t) => {
  const h = await daemon(t);
  const server = await statusServer(t, 200);
  server.script = [503];
  const seen = collect((signal) => h.client.watchEvents('', { signal }), (events) => events.some((e) => e.type === 'transition' && e.to === 'RUNNING'), {
    what: 'the transition to RUNNING',
    timeoutMs: wait.timeoutMs,
  });
  await waitUntil('the watcher is subscribed', () => h.daemon.parts.events.watcherCount === 1, wait);
  await h.client.createProcess(
    {
      name: 'web',
      command: 'sleep',
      args: h.sleepArgs(),
      healthCheck: { type: 'http', url: server.url, intervalMs: 100, timeoutMs: 5_000, failureThreshold: 3 },
    },
    { start: true },
  );
  const events = (await seen).filter((e) => !e.snapshot && e.process?.name === 'web');
  const summary = events.map((e) => `${e.type}:${e.from}>${e.to}`);
  const healthy = events.findIndex((e) => e.type === 'health' && e.to === 'HEALTHY');
  const running = events.findIndex((e) => e.type === 'transition' && e.from === 'STARTING' && e.to === 'RUNNING');
  assert.ok(healthy >= 0, `a health event to HEALTHY: ${summary}`);
  assert.ok(running >= 0, `a transition STARTING→RUNNING: ${summary}`);
  assert.ok(healthy < running, `HEALTHY comes before RUNNING: ${summary}`);
  assert.match(events[healthy]!.reason, /200/);
  assert.equal(events[healthy]!.from, 'STARTING', 'a health event says what it changed from');
  // The first probe's 503 was reported too, as a failure while still STARTING.
  const failed = events.findIndex((e) => e.type === 'health' && e.to === 'STARTING' && /503/.test(e.reason));
  assert.ok(failed >= 0 && failed < healthy, `a health event for the 503 first: ${summary}`);
  assert.ok(
    events.slice(0, running).every((e) => e.to !== 'RUNNING'),
    `not RUNNING before the first HEALTHY verdict: ${summary}`,
  );
  await waitUntil('the watcher is cleaned up', () => h.daemon.parts.events.watcherCount === 0, wait);
});

test('describe reports health_check as enforced; a live update adds a check without a restart', bounded, async (t) => {
  const h = await daemon(t);
  const server = await statusServer(t, 503);
  await h.client.createProcess(
    {
      name: 'checked',
      command: 'sleep',
      args: h.sleepArgs(),
      healthCheck: { type: 'http', url: server.url, intervalMs: 300, timeoutMs: 5_000 },
    },
  );
  const described = await h.client.describeProcess('checked');
  const entry = described.enforcement.find((e) => e.field === 'health_check');
  assert.ok(entry, `health_check in enforcement: ${JSON.stringify(described.enforcement)}`);
  assert.equal(entry.enforced, true);
  assert.match(entry.detail, /http/);
  assert.ok(entry.detail.includes(server.url), entry.detail);
  const plain = await h.client.createProcess({ name: 'plain', command: 'sleep', args: h.sleepArgs() });
  assert.equal(
    (await h.client.describeProcess('plain')).enforcement.some((e) => e.field === 'health_check'),
    false,
    'no check, no enforcement entry',
  );
  assert.equal(plain.name, 'plain');

  await h.client.startProcess('plain');
  const before = await until(h, 'plain', 'RUNNING without a check', (p) => p.state === 'RUNNING' && p.pid > 0);
  assert.equal(before.health, 'UNKNOWN');

  // Watch health verdicts from here: the endpoint answers 503, so none may say HEALTHY yet.
  const verdicts: ProcessEvent[] = [];
  const watching = collect(
    (signal) => h.client.watchEvents('plain', { signal }),
    (events) => {
      const last = events.at(-1)!;
      if (last.type === 'health') verdicts.push(last);
      return last.type === 'health' && last.to === 'HEALTHY';
    },
    { what: 'the health event to HEALTHY', timeoutMs: wait.timeoutMs },
  );
  await waitUntil('the watcher is subscribed', () => h.daemon.parts.events.watcherCount === 1, wait);

  const result = await h.client.updateProcess(
    'plain',
    { healthCheck: { type: 'http', url: server.url, intervalMs: 100, timeoutMs: 5_000, failureThreshold: 1 } },
    { updateMask: ['health_check'] },
  );
  assert.ok(result.updatedFields.some((f) => f.startsWith('health_check')), `updated ${result.updatedFields}`);
  assert.deepEqual(result.restartRequiredFields, [], 'a health check is hot');
  assert.equal(result.processRestarted, false);

  const unhealthy = await until(h, 'plain', 'UNHEALTHY from the new check', (p) => p.health === 'UNHEALTHY');
  assert.match(unhealthy.healthMessage, /503/);
  assert.equal(unhealthy.pid, before.pid, 'not restarted');
  assert.equal(unhealthy.state, 'RUNNING', 'a check added to a live run does not demote it to STARTING');
  assert.equal(
    verdicts.filter((e) => e.to === 'HEALTHY').length,
    0,
    `no HEALTHY verdict while the endpoint answers 503: ${verdicts.map((e) => `${e.to} ${e.reason}`)}`,
  );

  server.status = 200;
  const healthy = await until(h, 'plain', 'HEALTHY', (p) => p.health === 'HEALTHY');
  assert.equal(healthy.pid, before.pid, 'the same pid: no restart');
  assert.equal(healthy.runCount, 1);
  assert.equal(healthy.restartCount, 0);
  assert.equal(healthy.state, 'RUNNING');
  await watching;
  const d = await h.client.describeProcess('plain');
  assert.equal(d.enforcement.find((e) => e.field === 'health_check')?.enforced, true);
});

test('exec: the probe runs as the process’s user, not as the daemon', { ...bounded, skip: needsRoot && `${needsRoot}, to run a process as nobody` }, async (t) => {
  const h = await daemon(t);
  const nobody = userInfo('nobody');
  const asUser = (name: string, expectedUid: number) => ({
    name,
    command: 'sleep',
    args: h.sleepArgs(),
    user: 'nobody',
    // A directory nobody may enter, wherever CI cloned the project.
    workingDir: '/tmp',
    healthCheck: { type: 'exec' as const, command: 'sh', args: ['-c', `test "$(id -u)" = ${expectedUid}`], intervalMs: 100, timeoutMs: 5_000, failureThreshold: 1 },
  });
  await h.client.createProcess(asUser('as-nobody', nobody.uid), { start: true });
  await h.client.createProcess(asUser('as-root', 0), { start: true });
  assert.equal((await until(h, 'as-nobody', 'HEALTHY', (p) => p.health === 'HEALTHY')).state, 'RUNNING');
  assert.match((await until(h, 'as-root', 'UNHEALTHY', (p) => p.health === 'UNHEALTHY')).healthMessage, /exit code 1/);
});

function userInfo(name: string): { uid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  assert.ok(line, `${name} is in /etc/passwd`);
  return { uid: Number(line.split(':')[2]) };
}

test('start_timeout: never healthy in time is a failed start, stopped and judged by the restart policy', bounded, async (t) => {
  const h = await daemon(t);
  const server = await statusServer(t, 503);
  await h.client.createProcess(
    {
      name: 'late',
      command: 'sleep',
      args: h.sleepArgs(),
      startTimeoutMs: 1_000,
      restart: { policy: 'no' },
      healthCheck: { type: 'http', url: server.url, intervalMs: 100, timeoutMs: 5_000 },
    },
    { start: true },
  );
  const failed = await until(h, 'late', 'FAILED', (p) => p.state === 'FAILED');
  assert.match(failed.lastError, /not healthy within start_timeout \(1000 ms\)/);
  const d = await h.client.describeProcess('late');
  assert.equal(d.enforcement.find((e) => e.field === 'start_timeout')?.enforced, true);
});

test('a process in BACKOFF shows no health (UNKNOWN), not its last run\'s verdict', { timeout: 60_000 }, async (t) => {
  // Regression: ls showed `healthy` (stale) for a process waiting to restart.
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(
    {
      name: 'checked',
      command: 'sleep',
      args: h.sleepArgs(),
      healthCheck: { type: 'exec', command: 'true', intervalMs: 100, timeoutMs: 5_000 },
      restart: { policy: 'on-failure', delayMs: 60_000 },
    },
    { start: true },
  );
  await waitUntil('checked is healthy', async () => (await h.client.describeProcess('checked')).process.health === 'HEALTHY');
  await h.client.signalProcess('checked', 'SIGKILL');
  await waitUntil('checked backs off', async () => (await h.client.describeProcess('checked')).process.state === 'BACKOFF');
  assert.equal((await h.client.describeProcess('checked')).process.health, 'UNKNOWN');
  assert.equal((await h.client.listProcesses()).find((p) => p.name === 'checked')?.health, 'UNKNOWN');
  await h.client.stopProcess('checked');
});
