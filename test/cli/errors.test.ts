import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { cliOn, oneErrorLine, runCli } from './run.js';

test('bad input is a usage error (exit 2) on one line naming the flag or field, and nothing is sent', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const cli = cliOn(h.socket);
  const cases: [args: string[], names: RegExp][] = [
    [['create', 'web', '--bogus', '--', 'true'], /unknown option '--bogus'/],
    [['create', 'web', '--restart-delay', '5x', '--', 'true'], /'--restart-delay <duration>' argument '5x' is invalid\. expected a duration with a unit/],
    [['create', 'web', '--grace-period', '10', '--', 'true'], /'--grace-period <duration>' argument '10' is invalid/],
    [['create', 'bad name!', '--', 'true'], /name: got "bad name!", expected a process name matching/],
    [['create', 'web', '--restart', 'sometimes', '--', 'true'], /'--restart <policy>' argument 'sometimes' is invalid/],
    [['create', 'web', '--env', 'NOEQUALS', '--', 'true'], /'--env <name=value>' argument 'NOEQUALS' is invalid\. expected NAME=VALUE/],
    [['create', 'web', '--umask', '999', '--', 'true'], /umask: got "999"/],
    [['create', 'web'], /missing the command/],
    [['signal', 'web', 'SIGNOPE'], /argument 'signal'/],
    [['stop', 'web', '--grace-period', 'soon'], /'--grace-period <duration>' argument 'soon' is invalid/],
    [['update', 'web'], /nothing to change/],
    [['inspect', 'web'], /give --definition, --follow or --stately/],
    [['inspect', 'web', '--definition', '--all'], /--all goes with --follow/],
    [['inspect', 'web', '--definition', '--format', 'dot'], /'--format <format>' argument 'dot' is invalid/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ];
  for (const [args, names] of cases) {
    const result = await cli(...args);
    assert.equal(result.code, 2, `${args.join(' ')}: exit 2, got ${result.code} (${result.stderr})`);
    assert.match(oneErrorLine(result), names, args.join(' '));
    assert.equal(result.stdout, '');
  }
  assert.deepEqual(await h.client.listProcesses(), [], 'no bad input reached the daemon');
});

test("a NOT_FOUND exits 1 with the daemon's message verbatim", async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const expected = await h.client.describeProcess('ghost').then(
    () => assert.fail('ghost exists'),
    (error: Error) => error.message,
  );
  for (const args of [['describe', 'ghost'], ['start', 'ghost'], ['stop', 'ghost'], ['rm', 'ghost', '--force'], ['update', 'ghost', '--restart', 'no']]) {
    const result = await cliOn(h.socket)(...args);
    assert.equal(result.code, 1, args.join(' '));
    assert.equal(oneErrorLine(result), `statevisor: ${expected}`);
  }
});

test("an RPC that refuses fails with the daemon's message, not with made-up output", async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess({ name: 'web', command: 'sleep', args: h.sleepArgs() });
  const cli = cliOn(h.socket);
  const usage = await cli('usage', 'web');
  assert.equal(usage.code, 1);
  assert.equal(oneErrorLine(usage), "statevisor: process 'web' is CREATED: no running process to measure");
  assert.equal(usage.stdout, '');
  const inspect = await cli('inspect', 'nobody', '--follow');
  assert.equal(inspect.code, 1);
  assert.equal(oneErrorLine(inspect), "statevisor: no process named or with id 'nobody'");
});

test('with no daemon on the socket, the error names the socket and suggests statevisor daemon --detach, and the foreground daemon', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const socket = path.join(dir, 'nobody.sock');
  const result = await runCli(['ls', '--socket', socket]);
  assert.equal(result.code, 1);
  const line = oneErrorLine(result);
  assert.match(line, new RegExp(`cannot reach a daemon on socket ${socket} \\(connect ENOENT\\)`));
  assert.ok(
    line.endsWith(`start one in the background with 'statevisor daemon --detach --socket ${socket}' (or in the foreground: 'statevisor daemon --socket ${socket}')`),
    line,
  );

  const tcp = await runCli(['status', '--addr', '127.0.0.1:1']);
  assert.equal(tcp.code, 1);
  assert.match(oneErrorLine(tcp), /cannot reach a daemon on address 127\.0\.0\.1:1 \(connect ECONNREFUSED\)/);

  const both = await runCli(['ls', '--addr', '127.0.0.1:1', '--socket', socket]);
  assert.equal(both.code, 2);
  assert.match(oneErrorLine(both), /either --socket or --addr/);
});
