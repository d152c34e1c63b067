/**
 * The embedding API with the worker runtime: a program supervises its own worker-thread services
 * with createProcessManager and the same chart as the daemon, nothing of the daemon around it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createProcessManager, silentLogger, validateSpec, WorkerSyncer, type ProcessSpec } from '../../src/index.js';
import { waitUntil } from '../helpers/leaks.js';
import { workerModule } from '../helpers/worker-modules.js';

test('createProcessManager given the worker runtime runs, restarts and stops worker-thread services', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-embed-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const workers = new WorkerSyncer({ onExit: (id, exit) => manager.reportWorkloadExit(id, exit), now: () => Date.now() });
  const manager = createProcessManager<ProcessSpec>({ syncer: workers, logger: silentLogger, resyncIntervalMs: 0 });
  t.after(() => manager.shutdown({ timeoutMs: 20_000 }));
  // The chart's settings from the spec: its restart policy and grace period.
  const settings = (spec: ProcessSpec) => ({ restart: spec.restart, defaultGracePeriodSecs: spec.stop.gracePeriodMs / 1000 });
  const create = (spec: ProcessSpec) => manager.updateProcess({ id: spec.name, type: 'create', config: spec, settings: settings(spec) });

  create(validateSpec({ name: 'svc', runtime: { kind: 'worker', module: workerModule(dir, 'service') }, logs: { stdout: 'null' } }));
  create(
    validateSpec({
      name: 'crashy',
      runtime: { kind: 'worker', module: workerModule(dir, 'rejects') },
      restart: { policy: 'always', delayMs: 0, startLimitBurst: 3 },
    }),
  );
  await waitUntil('svc runs', () => manager.getProcessStatus('svc')?.state === 'Syncing' && workers.running().includes('svc'));
  await waitUntil('crashy gives up', () => manager.getProcessStatus('crashy')?.outcome === 'failed' && manager.isProcessFinished('crashy'), { timeoutMs: 30_000 });
  assert.equal(manager.getProcessStatus('crashy')?.runCount, 3, 'restarted by its policy up to the start limit');
  assert.equal(manager.getProcessStatus('svc')?.runCount, 1, 'the other service was not affected');

  await manager.shutdown({ timeoutMs: 20_000 });
  assert.equal(manager.getProcessStatus('svc')?.outcome, 'stopped');
  assert.deepEqual(workers.running(), [], 'no thread left');
});
