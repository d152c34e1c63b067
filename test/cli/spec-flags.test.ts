import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Command } from 'commander';
import { addSpecFlags, specFromFlags } from '../../src/cli/spec-flags.js';

function parse(...args: string[]) {
  const command = addSpecFlags(new Command('update').exitOverride().configureOutput({ outputError: () => {} }));
  command.parse(args, { from: 'user' });
  return specFromFlags(command.opts());
}

test('each flag sets its spec field, and the fields given are the update mask', () => {
  const { patch, fields } = parse(
    '--restart', 'always', '--restart-delay', '1.5s', '--max-delay', '2m', '--start-limit-burst', '3',
    '--start-limit-interval', '30s', '--min-uptime', '500ms', '--success-exit-code', '3', '--success-exit-code', '4',
    '--stop-signal', 'int', '--grace-period', '5s', '--kill-mode', 'mixed', '--type', 'oneshot', '--auto-start',
    '--env', 'A=1', '--env', 'B=x=y', '--label', 'tier=web', '--user', 'nobody', '--group', '1000', '--umask', '027',
    '--runtime-directory', 'web', '--runtime-directory-mode', '0750',
    '--stdout', 'null', '--stderr', '/var/log/web.err', '--description', 'the web server',
  );
  assert.deepEqual(patch, {
    description: 'the web server',
    autoStart: true,
    type: 'oneshot',
    restart: { policy: 'always', delayMs: 1_500, maxDelayMs: 120_000, startLimitBurst: 3, startLimitIntervalMs: 30_000, minUptimeMs: 500, successExitCodes: [3, 4] },
    stop: { signal: 'SIGINT', gracePeriodMs: 5_000, killMode: 'mixed' },
    env: { A: '1', B: 'x=y' },
    user: 'nobody',
    group: '1000',
    umask: '027',
    runtimeDirectory: 'web',
    runtimeDirectoryMode: '0750',
    labels: { tier: 'web' },
    logs: { stdout: 'null', stderr: '/var/log/web.err' },
  });
  assert.deepEqual(fields.sort(), [
    'autoStart', 'description', 'env', 'group', 'labels', 'logs.stderr', 'logs.stdout', 'restart.delayMs', 'restart.maxDelayMs',
    'restart.minUptimeMs', 'restart.policy', 'restart.startLimitBurst', 'restart.startLimitIntervalMs', 'restart.successExitCodes',
    'runtimeDirectory', 'runtimeDirectoryMode', 'stop.gracePeriodMs', 'stop.killMode', 'stop.signal', 'type', 'umask', 'user',
  ]);
});

test("--restart never is accepted (a synonym of no, which the daemon stores); the choices list it", () => {
  assert.deepEqual(parse('--restart', 'never'), { patch: { restart: { policy: 'never' } }, fields: ['restart.policy'] });
  assert.throws(() => parse('--restart', 'sometimes'), /Allowed choices are no, always, on-failure, on-success, never\./);
});

test('no flags, no fields: an update must not send an empty mask by accident', () => {
  assert.deepEqual(parse(), { patch: {}, fields: [] });
});

test('--no-auto-start sets the field to false, so that update can turn it off', () => {
  assert.deepEqual(parse('--no-auto-start'), { patch: { autoStart: false }, fields: ['autoStart'] });
});

test("relative paths are resolved against the caller's directory, which the daemon does not know", () => {
  const { patch } = parse('--cwd', 'app', '--env-file', '-.env', '--env-file', 'base.env', '--stdout', 'out.log');
  assert.equal(patch.workingDir, path.resolve('app'));
  assert.deepEqual(patch.envFiles, [`-${path.resolve('.env')}`, path.resolve('base.env')]);
  assert.equal(patch.logs?.stdout, path.resolve('out.log'));
});

test('durations need a unit on the command line: "10" could mean seconds', () => {
  assert.throws(() => parse('--grace-period', '10'), /argument '10' is invalid\. expected a duration with a unit/);
  assert.equal(parse('--grace-period', '0').patch.stop?.gracePeriodMs, 0);
  assert.throws(() => parse('--restart-delay', '1.0001s'), /whole milliseconds/);
});

test('limit flags: --memory takes a size, --pids and --cpu whole numbers, and they make the mask', () => {
  const { patch, fields } = parse('--memory', '512MiB', '--pids', '64', '--cpu', '250');
  assert.deepEqual(patch, { resources: { memoryBytes: 512 * 1024 ** 2, pids: 64, cpuMillis: 250 } });
  assert.deepEqual(fields.sort(), ['resources.cpuMillis', 'resources.memoryBytes', 'resources.pids']);
  assert.throws(() => parse('--memory', 'lots'), /--memory <size>/);
  assert.throws(() => parse('--cpu', '0.5'), /--cpu <millis>/);
});

test('--type forking takes --pidfile, resolved against the caller\'s directory', () => {
  assert.deepEqual(parse('--type', 'forking', '--pidfile', 'run/app.pid'), {
    patch: { type: 'forking', pidfile: path.resolve('run/app.pid') },
    fields: ['type', 'pidfile'],
  });
});
