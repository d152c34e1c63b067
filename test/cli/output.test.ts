import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';
import { runCli } from './run.js';

test('--json prints JSON that parses, for ls, describe and status', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess({ name: 'web', command: 'sleep', args: h.sleepArgs(), labels: { tier: 'web' } }, { start: true });
  await h.client.createProcess({ name: 'db', command: 'sleep', args: h.sleepArgs(), labels: { tier: 'db' } });
  await waitUntil('web runs', async () => (await h.client.describeProcess('web')).process.state === 'RUNNING');

  const ls = await runCli(['--socket', h.socket, '--json', 'ls']);
  assert.equal(ls.code, 0, ls.stderr);
  const listed = JSON.parse(ls.stdout) as { name: string; state: string; pid: number }[];
  assert.deepEqual(listed.map((p) => [p.name, p.state]).sort(), [['db', 'CREATED'], ['web', 'RUNNING']]);

  const selected = JSON.parse((await runCli(['--socket', h.socket, '--json', 'ls', '--selector', 'tier=db'])).stdout) as { name: string }[];
  assert.deepEqual(selected.map((p) => p.name), ['db']);

  const describe = await runCli(['--socket', h.socket, '--json', 'describe', 'web']);
  assert.equal(describe.code, 0, describe.stderr);
  const description = JSON.parse(describe.stdout) as { process: { name: string; createdAt: string }; spec: { command: string }; enforcement: unknown[] };
  assert.equal(description.process.name, 'web');
  assert.equal(description.spec.command, 'sleep');
  assert.ok(!Number.isNaN(Date.parse(description.process.createdAt)), 'dates are ISO strings');
  assert.ok(Array.isArray(description.enforcement));

  const status = await runCli(['--socket', h.socket, '--json', 'status']);
  assert.equal(status.code, 0, status.stderr);
  const parsed = JSON.parse(status.stdout) as { pid: number; processCount: number; countsByState: Record<string, number>; unimplementedRpcs: string[] };
  assert.equal(parsed.pid, process.pid, 'the daemon under test runs in this process');
  assert.equal(parsed.processCount, 2);
  assert.deepEqual(parsed.countsByState, { RUNNING: 1, CREATED: 1 });
  assert.deepEqual(parsed.unimplementedRpcs, []);
});

test('global options work after the command, and with --opt=value', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess({ name: 'web', command: 'sleep', args: h.sleepArgs() });

  const after = await runCli(['ls', '--socket', h.socket, '--json']);
  assert.equal(after.code, 0, after.stderr);
  assert.deepEqual((JSON.parse(after.stdout) as { name: string }[]).map((p) => p.name), ['web']);

  const mixed = await runCli(['--json', 'describe', 'web', `--socket=${h.socket}`]);
  assert.equal(mixed.code, 0, mixed.stderr);
  assert.equal((JSON.parse(mixed.stdout) as { process: { name: string } }).process.name, 'web');

  // After `--`, "--json" belongs to the managed command, not to statevisor.
  const created = await runCli(['create', 'echo', '--socket', h.socket, '--', 'echo', '--json', h.marker]);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /^created echo /, 'text output: --json after -- was not taken as the global flag');
  assert.deepEqual((await h.client.describeProcess('echo')).process.args, ['--json', h.marker]);
});

test('status prints the daemon in text: version, pid, listeners and what is not implemented', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const status = await runCli(['--socket', h.socket, 'status']);
  assert.equal(status.code, 0, status.stderr);
  const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  assert.match(status.stdout, new RegExp(`^statevisor ${version.replace(/\./g, '\\.')}\n`));
  assert.match(status.stdout, new RegExp(`pid\\s+${process.pid}\n`));
  assert.match(status.stdout, new RegExp(`listening\\s+unix ${h.socket}`));
  assert.match(status.stdout, /not implemented\s+\S/);
});

test('--help lists every command on one line each with examples, and --version prints the version', async () => {
  const help = await runCli(['--help']);
  assert.equal(help.code, 0, help.stderr);
  const commands = ['create', 'start', 'stop', 'restart', 'delete|rm', 'list|ls', 'describe', 'update', 'usage', 'signal', 'logs', 'events', 'status', 'health', 'apply', 'reload', 'inspect', 'schema', 'daemon'];
  for (const command of commands) {
    const line = help.stdout.split('\n').find((l) => l.startsWith(`  ${command} `) || l === `  ${command}`);
    assert.ok(line, `--help lists ${command}`);
    assert.match(line, /\S\s{2,}\S/, `${command} has its description on the same line`);
  }
  assert.deepEqual(help.stdout.split('\n').filter((line) => line.length > 80), [], 'fits 80 columns when not a terminal');
  assert.match(help.stdout, /^Examples:$/m);

  for (const command of ['create', 'start', 'restart', 'stop', 'logs', 'apply', 'reload']) {
    const lines = (await runCli([command, '--help'])).stdout.split('\n');
    assert.deepEqual(lines.filter((line) => line.length > 80), [], `${command} --help fits 80 columns`);
  }

  const commandHelp = await runCli(['stop', '--help']);
  assert.match(commandHelp.stdout, /--grace-period <duration>/);
  assert.match(commandHelp.stdout, /^Example:\n {2}\$ statevisor stop /m);
  assert.match(commandHelp.stdout, /--socket <path>/, 'global options are shown too');

  const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  assert.deepEqual(await runCli(['--version']), { stdout: `${version}\n`, stderr: '', code: 0 });
});

test('inspect --definition prints the process chart as JSON', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess({ name: 'web', command: 'sleep', args: h.sleepArgs() });
  const result = await runCli(['--socket', h.socket, 'inspect', 'web', '--definition']);
  assert.equal(result.code, 0, result.stderr);
  const chart = JSON.parse(result.stdout) as { id: string; states: Record<string, unknown> };
  assert.equal(chart.id, 'process');
  assert.ok('starting' in chart.states && 'finished' in chart.states);
});
