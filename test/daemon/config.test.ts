import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';
import { isInvalidState } from '../../src/client/index.js';

import { newMarker } from '../helpers/leaks.js';

/** A config directory of its own (the daemon's temp dir does not exist before the daemon). */
function configDir(t: { after(fn: () => void): void }, marker: string) {
  const config = mkdtempSync(path.join(os.tmpdir(), 'statevisor-config-'));
  t.after(() => rmSync(config, { recursive: true, force: true }));
  const write = (file: string, text: string) => writeFileSync(path.join(config, file), text);
  const sleeper = (extra = '') => `command: sleep\nargs: ["3600.${marker}"]\nauto_start: true\nstop: { grace_period: 1s }\n${extra}`;
  return { config, write, sleeper, remove: (file: string) => rmSync(path.join(config, file)) };
}

test('a config directory loads one process per file; a bad file is reported and skipped, the rest load', async (t) => {
  const marker = newMarker();
  const c = configDir(t, marker);
  c.write('a-web.yaml', c.sleeper());
  c.write('b-broken.yaml', 'command: sleep\nrestart: { policy: sometimes }\n');
  c.write('c-job.json', JSON.stringify({ command: 'true', type: 'oneshot' }));
  const h = await startTestDaemon({ configPath: c.config, marker });
  t.after(() => h.close());
  const names = (await h.client.listProcesses()).map((p) => p.name).sort();
  assert.deepEqual(names, ['a-web', 'c-job']);
  await waitUntil('a-web runs', async () => (await h.client.describeProcess('a-web')).process.state === 'RUNNING');

  const reload = await h.client.reloadConfig();
  assert.deepEqual(reload.unchanged.sort(), ['a-web', 'c-job']);
  assert.equal(reload.errors.length, 1);
  assert.match(reload.errors[0]!, /b-broken\.yaml: restart\.policy/);
});

test('reload adds, modifies (restarting only for restart-required fields), keeps unchanged and removes', async (t) => {
  const marker = newMarker();
  const c = configDir(t, marker);
  c.write('hot.yaml', c.sleeper());
  c.write('cold.yaml', c.sleeper());
  c.write('same.yaml', c.sleeper());
  c.write('gone.yaml', c.sleeper());
  const h = await startTestDaemon({ configPath: c.config, marker });
  t.after(() => h.close());
  await waitUntil('all four run', async () => (await h.client.listProcesses()).every((p) => p.state === 'RUNNING'));
  const pid = async (name: string) => (await h.client.describeProcess(name)).process.pid;
  const hotPid = await pid('hot');
  const coldPid = await pid('cold');
  await h.client.createProcess({ name: 'api-made', command: 'sleep', args: h.sleepArgs() });

  c.write('hot.yaml', c.sleeper('restart: { policy: always }\n'));
  c.write('cold.yaml', c.sleeper('env: { MODE: "2" }\n'));
  c.remove('gone.yaml');
  c.write('new.yaml', c.sleeper());
  const result = await h.client.reloadConfig();
  assert.deepEqual(
    { added: result.added, removed: result.removed, modified: result.modified.sort(), unchanged: result.unchanged, errors: result.errors },
    { added: ['new'], removed: ['gone'], modified: ['cold', 'hot'], unchanged: ['same'], errors: [] },
  );
  assert.equal(await pid('hot'), hotPid, 'a hot change does not restart');
  assert.equal((await h.client.describeProcess('hot')).spec?.restart?.policy, 'always');
  await waitUntil('cold runs again', async () => (await h.client.describeProcess('cold')).process.state === 'RUNNING');
  assert.notEqual(await pid('cold'), coldPid, 'a restart-required change restarts');
  assert.ok((await h.client.listProcesses()).some((p) => p.name === 'api-made'), 'processes made through the API are left alone');
  assert.ok(!(await h.client.listProcesses()).some((p) => p.name === 'gone'));
});

test('reload that turns auto_start on starts the idle process; turning it off leaves a running one alone', async (t) => {
  const marker = newMarker();
  const c = configDir(t, marker);
  const manual = (autoStart: boolean) => c.sleeper().replace('auto_start: true', `auto_start: ${autoStart}`);
  c.write('later.yaml', manual(false));
  c.write('steady.yaml', c.sleeper());
  const h = await startTestDaemon({ configPath: c.config, marker });
  t.after(() => h.close());
  await waitUntil('steady runs', async () => (await h.client.describeProcess('steady')).process.state === 'RUNNING');
  assert.equal((await h.client.describeProcess('later')).process.state, 'CREATED');

  c.write('later.yaml', manual(true));
  c.write('steady.yaml', manual(false));
  const result = await h.client.reloadConfig();
  assert.deepEqual(result.modified.sort(), ['later', 'steady']);
  await waitUntil('later runs', async () => (await h.client.describeProcess('later')).process.state === 'RUNNING');
  assert.equal((await h.client.describeProcess('steady')).process.state, 'RUNNING', 'auto_start off stops nothing');
});

test('reload without --config is refused', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await assert.rejects(h.client.reloadConfig(), isInvalidState);
});
