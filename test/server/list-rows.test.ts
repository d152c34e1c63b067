import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListRows, type ListSource } from '../../src/server/grpc/list-rows.js';
import { processToWire } from '../../src/server/grpc/wire-process.js';
import { wire } from '../../src/proto/load.js';
import type { ViewInputs } from '../../src/server/live-views.js';
import type { ProcessEntry } from '../../src/server/process-table.js';
import type { ProcessView } from '../../src/server/process-view.js';
import { specDefaults } from '../../src/spec/defaults.js';

const list = wire.statevisor.v1.ProcessManager.service.ListProcesses;

function viewNamed(name: string, fields: Partial<ProcessView> = {}): ProcessView {
  return {
    id: `id-${name}`,
    name,
    state: 'CREATED',
    phase: undefined,
    pid: 0,
    runCount: 0,
    restartCount: 0,
    errorCount: 0,
    failureStreak: 0,
    exitCode: undefined,
    signal: undefined,
    health: 'unknown',
    healthFailures: 0,
    healthMessage: '',
    waitingFor: '',
    cpuPercent: 0,
    memoryBytes: 0,
    createdAt: 1_700_000_000_000,
    startedAt: undefined,
    endedAt: undefined,
    uptimeMs: 0,
    lastError: '',
    command: 'sleep',
    args: ['3600'],
    labels: { tier: 'web' },
    ...fields,
  };
}

/**
 * A table whose views are set by the test: a view's inputs are a fresh snapshot object per
 * change (as the chart's are), and its uptime follows the clock as viewOf's does.
 */
function fakeSource() {
  let now = 1_700_000_100_000;
  const rows = new Map<string, { entry: ProcessEntry; inputs: ViewInputs; view: ProcessView }>();
  let made = 0;
  const source: ListSource = {
    listInputs: () => [...rows.values()].map(({ entry, inputs }) => ({ entry, inputs })),
    viewFrom: (entry) => {
      made++;
      return withUptime(rows.get(entry.id)!.view);
    },
    now: () => now,
  };
  const withUptime = (view: ProcessView): ProcessView =>
    view.startedAt !== undefined && ['RUNNING', 'STOPPING', 'STARTING'].includes(view.state) ? { ...view, uptimeMs: Math.max(0, now - view.startedAt) } : view;
  return {
    source,
    set(view: ProcessView) {
      const entry = rows.get(view.id)?.entry ?? ({ id: view.id, spec: { ...specDefaults, name: view.name } } as unknown as ProcessEntry);
      rows.set(view.id, { entry, inputs: { spec: entry.spec, snapshot: {} as never, pid: view.pid || undefined, usage: undefined }, view });
    },
    remove: (id: string) => rows.delete(id),
    advance: (ms: number) => (now += ms),
    /** What the answer must decode to: every view serialized the plain way, now. */
    expected: () => list.responseDeserialize(list.responseSerialize({ processes: [...rows.values()].map((r) => processToWire(withUptime(r.view))) })),
    get made() {
      return made;
    },
  };
}

const decoded = (rows: ListRows) => list.responseDeserialize(rows.answer('').bytes);

test('ListProcesses from rows encoded once decodes exactly as the whole answer serialized, through changes and the clock', () => {
  const fake = fakeSource();
  const rows = new ListRows(fake.source);
  fake.set(viewNamed('idle'));
  fake.set(viewNamed('web', { state: 'RUNNING', phase: 'syncing', pid: 4242, runCount: 1, startedAt: 1_700_000_050_000, health: 'healthy' }));
  fake.set(viewNamed('done', { state: 'EXITED', exitCode: 3, endedAt: 1_700_000_060_000, lastError: 'exited with code 3', labels: {} }));
  assert.deepEqual(decoded(rows), fake.expected());
  assert.equal(fake.made, 3);

  // Nothing changed but the clock: no row is made again, and the running one's uptime moves.
  fake.advance(1_234);
  assert.deepEqual(decoded(rows), fake.expected());
  assert.equal(fake.made, 3, 'rows whose inputs are the same objects are reused');

  // A new snapshot of one process: that row alone is made again.
  fake.set(viewNamed('web', { state: 'STOPPED', phase: 'finished', runCount: 1, startedAt: 1_700_000_050_000, endedAt: 1_700_000_101_000 }));
  assert.deepEqual(decoded(rows), fake.expected());
  assert.equal(fake.made, 4);

  fake.remove('id-idle');
  assert.deepEqual(decoded(rows), fake.expected());
  assert.deepEqual(list.responseDeserialize(new ListRows({ ...fake.source, listInputs: () => [] }).answer('').bytes), { processes: [] });
});

test('an uptime past 2^32 ms (49.7 days) and a fractional clock are encoded as the serializer does', () => {
  // Regression guard: bit operators in the varint writer would wrap past 2^32.
  const fake = fakeSource();
  const rows = new ListRows(fake.source);
  fake.set(viewNamed('old', { state: 'RUNNING', pid: 7, startedAt: 1_700_000_100_000 - 60 * 86_400_000 }));
  fake.advance(0.75);
  const answer = decoded(rows) as { processes: { uptime_ms: number }[] };
  assert.deepEqual(answer, fake.expected());
  assert.equal(answer.processes[0]!.uptime_ms, 60 * 86_400_000);
});
