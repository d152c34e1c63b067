/**
 * Socket activation with real processes: a server of a few lines of Node that takes its
 * listening sockets from fds 3.. (`listen({ fd })`), as any sd_listen_fds program would, and
 * answers each connection with its pid and what LISTEN_* told it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startTestDaemon, type DaemonHarness } from '../helpers/daemon-harness.js';
import { procParent, waitUntil } from '../helpers/leaks.js';
import { needsRoot } from '../helpers/requirements.js';
import { isAlreadyExists, isInvalidState } from '../../src/client/index.js';
import { cliOn } from '../cli/run.js';

/** Answers "PID NAME LISTEN_PID LISTEN_FDS LISTEN_FDNAMES" on each of its sockets; refuses to run if LISTEN_PID is not its pid. */
const server = [
  "const net = require('node:net');",
  'const { LISTEN_PID, LISTEN_FDS, LISTEN_FDNAMES } = process.env;',
  "if (Number(LISTEN_PID) !== process.pid) { console.error('LISTEN_PID', LISTEN_PID, 'is not', process.pid); process.exit(3); }",
  "const names = LISTEN_FDNAMES.split(':');",
  'for (let i = 0; i < Number(LISTEN_FDS); i++) {',
  "  net.createServer((c) => c.end([process.pid, names[i], LISTEN_PID, LISTEN_FDS, LISTEN_FDNAMES].join(' '))).listen({ fd: 3 + i });",
  '}',
].join('\n');

type Target = { host: string; port: number } | { path: string };

interface Asked {
  /** Settles once the kernel has taken the connection (accepted by nobody yet, maybe). */
  readonly connected: Promise<void>;
  /** The answer, or the error's code. */
  readonly result: Promise<{ answer?: string; error?: string }>;
}

function ask(target: Target): Asked {
  const socket = net.connect(target);
  let text = '';
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const result = new Promise<{ answer?: string; error?: string }>((resolve) => {
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.once('end', () => resolve({ answer: text }));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
  });
  return { connected, result };
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function serverSpec(h: DaemonHarness, name: string, sockets: { listen: string; name?: string }[], extra: Record<string, unknown> = {}) {
  return { name, command: process.execPath, args: ['-e', server, h.marker], sockets, ...extra };
}

/** The activation helpers of this (test) process waiting for a connection. */
function waiters(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes('activation-helper.js\0wait') && procParent(pid) === process.pid;
      } catch {
        return false;
      }
    });
}

/** Connects again and again until stopped; counts answers by pid and every error by code. */
function connectLoop(target: Target) {
  const answers = new Map<string, number>();
  const errors = new Map<string, number>();
  let running = true;
  const done = (async () => {
    while (running) {
      const { result } = ask(target);
      const { answer, error } = await result;
      // Closed without an answer: accepted by a run that was ended before it wrote (not refused).
      const failure = error ?? (answer === '' ? 'closed unanswered' : undefined);
      if (failure !== undefined) errors.set(failure, (errors.get(failure) ?? 0) + 1);
      else {
        const pid = answer!.split(' ')[0]!;
        answers.set(pid, (answers.get(pid) ?? 0) + 1);
      }
    }
  })();
  return {
    answers,
    errors,
    async stop() {
      running = false;
      await done;
    },
  };
}

async function runningPid(h: DaemonHarness, name: string, other = 0): Promise<number> {
  let pid = 0;
  await waitUntil(`${name} runs (pid other than ${other})`, async () => {
    const { process: view } = await h.client.describeProcess(name);
    pid = view.pid;
    return view.state === 'RUNNING' && pid > 0 && pid !== other;
  }, { timeoutMs: 30_000 });
  return pid;
}

test('a client that connects before the process runs is answered by the process, on that very connection, with LISTEN_* set', { timeout: 60_000 }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const port = await freePort();
  await h.client.createProcess(serverSpec(h, 'web', [{ listen: `127.0.0.1:${port}`, name: 'http' }]));
  const early = ask({ host: '127.0.0.1', port });
  await early.connected;
  assert.equal((await h.client.describeProcess('web')).process.pid, 0, 'nothing runs yet: the daemon holds the socket');
  await h.client.startProcess('web');
  const { answer, error } = await early.result;
  assert.equal(error, undefined);
  const pid = await runningPid(h, 'web');
  assert.equal(answer, `${pid} http ${pid} 1 http`);
});

test('two sockets, TCP and unix, are fds 3 and 4 in the order of the spec, and Describe lists them', { timeout: 60_000 }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const port = await freePort();
  const unix = path.join(h.dir, 'app.sock');
  await h.client.createProcess(serverSpec(h, 'web', [{ listen: `127.0.0.1:${port}`, name: 'http' }, { listen: unix, name: 'admin' }]), { start: true });
  const pid = await runningPid(h, 'web');
  assert.equal((await ask({ host: '127.0.0.1', port }).result).answer, `${pid} http ${pid} 2 http:admin`);
  assert.equal((await ask({ path: unix }).result).answer, `${pid} admin ${pid} 2 http:admin`);
  const sockets = (await h.client.describeProcess('web')).enforcement.find((e) => e.field === 'sockets');
  assert.ok(sockets?.enforced, JSON.stringify(sockets));
  assert.match(sockets.detail, new RegExp(`http 127\\.0\\.0\\.1:${port} → fd 3, admin ${unix.replace(/[.]/g, '\\.')} → fd 4`));
});

test('no connection is refused across 20 restarts and 20 kill -9s (restart: always) while a client keeps connecting', { timeout: 240_000 }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const port = await freePort();
  await h.client.createProcess(
    serverSpec(h, 'web', [{ listen: `127.0.0.1:${port}`, name: 'http' }], {
      restart: { policy: 'always', delayMs: 0, minUptimeMs: 0, startLimitBurst: 0 },
    }),
    { start: true },
  );
  let pid = await runningPid(h, 'web');
  const loop = connectLoop({ host: '127.0.0.1', port });
  try {
    // Each run answers the loop before it is ended: connections flow through every one of them.
    const answeredBy = (run: number) => waitUntil(`run ${run} answers`, () => (loop.answers.get(String(run)) ?? 0) > 0, { timeoutMs: 30_000 });
    await answeredBy(pid);
    for (let i = 0; i < 20; i++) {
      await h.client.restartProcess('web');
      pid = await runningPid(h, 'web', pid);
      await answeredBy(pid);
    }
    for (let i = 0; i < 20; i++) {
      process.kill(pid, 'SIGKILL');
      pid = await runningPid(h, 'web', pid);
      await answeredBy(pid);
    }
  } finally {
    await loop.stop();
  }
  const answered = [...loop.answers.values()].reduce((a, b) => a + b, 0);
  t.diagnostic(`answered ${answered} connections from ${loop.answers.size} runs; errors ${JSON.stringify(Object.fromEntries(loop.errors))}`);
  assert.equal(loop.errors.get('ECONNREFUSED') ?? 0, 0, 'no connection was refused');
  assert.equal(loop.answers.size, 41, 'the first run and 40 more answered');
});

test('a unix socket: connected before the run, kept through restarts without a refusal, its file removed at delete', { timeout: 120_000 }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const unix = path.join(h.dir, 'app.sock');
  await h.client.createProcess(serverSpec(h, 'web', [{ listen: unix }]));
  assert.ok(existsSync(unix), 'the daemon bound the socket at create');
  const early = ask({ path: unix });
  await early.connected;
  await h.client.startProcess('web');
  let pid = await runningPid(h, 'web');
  assert.equal((await early.result).answer, `${pid} web ${pid} 1 web`, "an unnamed socket takes the process's name");
  const loop = connectLoop({ path: unix });
  try {
    for (let i = 0; i < 5; i++) {
      await h.client.restartProcess('web');
      pid = await runningPid(h, 'web', pid);
      const run = String(pid);
      await waitUntil(`run ${run} answers`, () => (loop.answers.get(run) ?? 0) > 0, { timeoutMs: 30_000 });
    }
  } finally {
    await loop.stop();
  }
  assert.equal(loop.errors.get('ECONNREFUSED') ?? 0, 0);
  await h.client.stopProcess('web');
  assert.ok(existsSync(unix), 'a stop keeps the socket');
  await h.client.deleteProcess('web');
  assert.equal(existsSync(unix), false, 'delete removed the socket file');
  assert.equal((await ask({ path: unix }).result).error, 'ENOENT');
});

test('delete closes a TCP socket: connecting is refused afterwards', { timeout: 60_000 }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const port = await freePort();
  await h.client.createProcess(serverSpec(h, 'web', [{ listen: `127.0.0.1:${port}` }]));
  await ask({ host: '127.0.0.1', port }).connected;
  await h.client.deleteProcess('web');
  assert.equal((await ask({ host: '127.0.0.1', port }).result).error, 'ECONNREFUSED');
});

test('start_on connection: nothing runs until the first client connects; that client is answered by the run it started', { timeout: 60_000 }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const port = await freePort();
  await h.client.createProcess(serverSpec(h, 'lazy', [{ listen: `127.0.0.1:${port}`, name: 'http' }], { startOn: 'connection' }), { start: true });
  await waitUntil('the daemon watches the socket', () => waiters().length === 1);
  const waiting = (await h.client.describeProcess('lazy')).process;
  assert.equal(waiting.state, 'STARTING');
  assert.equal(waiting.pid, 0, 'nothing was spawned');
  assert.equal(waiting.runCount, 1);
  const first = ask({ host: '127.0.0.1', port });
  const { answer } = await first.result;
  const pid = await runningPid(h, 'lazy');
  assert.equal(answer, `${pid} http ${pid} 1 http`);
  assert.deepEqual(waiters(), [], 'the watcher is gone once the run started');
});

test('start_on connection: a stop while waiting ends the wait (its watcher too) and the run STOPPED', { timeout: 60_000 }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const unix = path.join(h.dir, 'lazy.sock');
  await h.client.createProcess(serverSpec(h, 'lazy', [{ listen: unix }], { startOn: 'connection' }), { start: true });
  await waitUntil('the daemon watches the socket', () => waiters().length === 1);
  assert.equal((await h.client.stopProcess('lazy')).state, 'STOPPED');
  await waitUntil('the watcher is gone', () => waiters().length === 0);
  assert.equal((await h.client.describeProcess('lazy')).process.pid, 0);
});

test('an address belongs to one process: a second claim is refused naming the owner; an address in use refuses the create', { timeout: 60_000 }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const port = await freePort();
  await h.client.createProcess(serverSpec(h, 'first', [{ listen: `127.0.0.1:${port}` }]));
  await assert.rejects(
    h.client.createProcess(serverSpec(h, 'second', [{ listen: `127.0.0.1:${port}` }])),
    (error: Error) => isAlreadyExists(error) && /sockets\[0\]\.listen: 127\.0\.0\.1:\d+ is already a socket of process 'first'/.test(error.message),
  );
  const foreign = net.createServer();
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  t.after(() => foreign.close());
  const taken = (foreign.address() as net.AddressInfo).port;
  await assert.rejects(
    h.client.createProcess(serverSpec(h, 'third', [{ listen: `127.0.0.1:${taken}` }])),
    (error: Error) => isInvalidState(error) && /cannot bind 127\.0\.0\.1:\d+: EADDRINUSE/.test(error.message),
  );
  assert.deepEqual((await h.client.listProcesses()).map((p) => p.name), ['first'], 'a refused create stores nothing');
});

test('statevisor start of a start_on connection process returns once the run waits for its first client', { timeout: 60_000 }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const unix = path.join(h.dir, 'lazy.sock');
  await h.client.createProcess(serverSpec(h, 'lazy', [{ listen: unix }], { startOn: 'connection' }));
  const result = await cliOn(h.socket)('start', 'lazy');
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^started lazy .*STARTING.*: it runs from the first connection to its sockets\n$/);
  const pid = Number((await ask({ path: unix }).result).answer?.split(' ')[0]);
  assert.equal(pid, await runningPid(h, 'lazy'));
});

test('update: a new socket is bound at once, a removed one closed, a kept one never dropped; the run gets them at its restart', { timeout: 60_000 }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const a = path.join(h.dir, 'a.sock');
  const b = path.join(h.dir, 'b.sock');
  await h.client.createProcess(serverSpec(h, 'web', [{ listen: a, name: 'a' }]), { start: true });
  let pid = await runningPid(h, 'web');
  await h.client.createProcess(serverSpec(h, 'other', [{ listen: path.join(h.dir, 'other.sock') }]));

  const added = await h.client.updateProcess('web', { sockets: [{ listen: a, name: 'a' }, { listen: b, name: 'b' }] }, { updateMask: ['sockets'] });
  assert.deepEqual(added.restartRequiredFields, ['sockets']);
  assert.ok(existsSync(b), 'the new socket is bound before the next run');
  const waitingOnB = ask({ path: b });
  await waitingOnB.connected;
  assert.equal((await ask({ path: a }).result).answer, `${pid} a ${pid} 1 a`, 'the live run keeps what it was given');
  await h.client.restartProcess('web');
  pid = await runningPid(h, 'web', pid);
  assert.equal((await waitingOnB.result).answer, `${pid} b ${pid} 2 a:b`, 'the client waiting on the new socket is answered by the next run');

  const kept = ask({ path: b });
  await kept.connected;
  await h.client.updateProcess('web', { sockets: [{ listen: b, name: 'b' }] }, { updateMask: ['sockets'] });
  assert.equal(existsSync(a), false, 'the removed socket is closed and its file gone');
  assert.equal((await kept.result).answer, `${pid} b ${pid} 2 a:b`, 'a connection waiting on a kept socket is not dropped');

  await assert.rejects(
    h.client.updateProcess('web', { sockets: [{ listen: path.join(h.dir, 'other.sock') }] }, { updateMask: ['sockets'] }),
    (error: Error) => isAlreadyExists(error) && /is already a socket of process 'other'/.test(error.message),
  );
  assert.deepEqual((await h.client.describeProcess('web')).spec?.sockets, [{ listen: b, name: 'b' }], 'a refused update changes nothing');
  assert.ok(existsSync(b));
});

test('the CLI: create --listen NAME=ADDRESS --start-on connection, and describe shows each socket with its fd', { timeout: 60_000 }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const unix = path.join(h.dir, 'cli.sock');
  const cli = cliOn(h.socket);
  const created = await cli('create', 'web', '--listen', `admin=${unix}`, '--start-on', 'connection', '--', process.execPath, '-e', server, h.marker);
  assert.equal(created.code, 0, created.stderr);
  const { spec } = await h.client.describeProcess('web');
  assert.deepEqual(spec?.sockets, [{ listen: unix, name: 'admin' }]);
  assert.equal(spec?.startOn, 'connection');
  const described = await cli('describe', 'web');
  assert.match(described.stdout, new RegExp(`sockets.*admin ${unix.replace(/[.]/g, '\\.')} → fd 3`));
  assert.match(described.stdout, new RegExp(`\\n  sockets +admin ${unix.replace(/[.]/g, '\\.')} \\(fd 3\\); start on connection\\n`));
});

test('run as another user (wrapper → setpriv → program, one pid), the program still gets its sockets and its own LISTEN_PID', { timeout: 60_000, skip: needsRoot }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const port = await freePort();
  await h.client.createProcess(serverSpec(h, 'web', [{ listen: `127.0.0.1:${port}`, name: 'http' }], { user: 'nobody' }), { start: true });
  const pid = await runningPid(h, 'web');
  assert.equal((await ask({ host: '127.0.0.1', port }).result).answer, `${pid} http ${pid} 1 http`);
  assert.match(readFileSync(`/proc/${pid}/status`, 'utf8'), /\nUid:\s+65534\s/, 'the program runs as nobody');
});
