/**
 * Every stop and every phase change asks whether anything requires or binds to the process. The
 * table answers from reference counts it keeps as specs come and go; scanning every spec instead
 * made a mass stop of 1,000 processes quadratic (1,000 stops × 1,000 specs, and again per fact).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dependencies } from '../../src/server/dependencies.js';
import { ProcessTable, type ProcessEntry } from '../../src/server/process-table.js';
import { validateSpec } from '../../src/spec/validate.js';
import { silentLogger } from '../../src/manager/logger.js';
import type { ProcessView } from '../../src/server/process-view.js';

function entryOf(name: string, fields: Record<string, string[]> = {}): ProcessEntry {
  return { id: `id-${name}`, spec: validateSpec({ name, command: 'sleep', args: ['60'], ...fields }), createdAt: 0, source: 'api', desired: 'running' };
}


/** Dependencies over `table`, every process RUNNING, every verb a no-op. */
function dependenciesOver(table: ProcessTable): Dependencies {
  return new Dependencies({
    table,
    views: { state: () => 'RUNNING', view: () => ({}) as ProcessView },
    start: async () => undefined,
    stop: async () => undefined,
    halt: async () => undefined,
    log: () => silentLogger,
  });
}

test('the table knows who names a process in each dependency field, through add, setSpec and remove', () => {
  const table = new ProcessTable();
  table.add(entryOf('db'));
  const web = entryOf('web', { requires: ['db:healthy', 'db'], bindsTo: ['db'], before: ['worker'] });
  table.add(web);
  assert.equal(table.isNamedIn('requires', 'db'), true, 'a condition is not part of the name');
  assert.equal(table.isNamedIn('bindsTo', 'db'), true);
  assert.equal(table.isNamedIn('before', 'worker'), true);
  assert.equal(table.isNamedIn('requires', 'web'), false);
  assert.equal(table.isNamedIn('wants', 'db'), false);

  table.setSpec(web, validateSpec({ name: 'web', command: 'sleep', args: ['60'], wants: ['db'] }));
  assert.equal(table.isNamedIn('requires', 'db'), false, 'a name listed twice is forgotten by one update');
  assert.equal(table.isNamedIn('bindsTo', 'db'), false);
  assert.equal(table.isNamedIn('wants', 'db'), true);

  const api = entryOf('api', { wants: ['db'] });
  table.add(api);
  table.remove(web.id);
  assert.equal(table.isNamedIn('wants', 'db'), true, 'api still wants it');
  table.remove(api.id);
  assert.equal(table.isNamedIn('wants', 'db'), false);
});

test('creating and stopping processes nothing depends on, and their phase changes, never scan the table', async () => {
  const table = new ProcessTable();
  const entries = Array.from({ length: 50 }, (_, i) => entryOf(`p${i}`));
  for (const entry of entries) table.add(entry);
  let scans = 0;
  const all = table.all.bind(table);
  table.all = () => (scans++, all());
  const dependencies = dependenciesOver(table);

  for (const entry of entries) {
    dependencies.check(entry.spec);
    await dependencies.stopDependents(entry);
    dependencies.onFact({ type: 'phase.changed', id: entry.id, phase: 'terminating' });
    dependencies.onFact({ type: 'phase.changed', id: entry.id, phase: 'finished' });
    dependencies.checkDelete(entry);
    assert.equal(dependencies.awaits(entry.spec), false);
  }
  assert.equal(scans, 0);
});

test('a process that binds to one that stops is still stopped, and one that requires it stops first', async () => {
  const table = new ProcessTable();
  const db = entryOf('db');
  const web = entryOf('web', { bindsTo: ['db'] });
  const api = entryOf('api', { requires: ['db'] });
  for (const entry of [db, web, api]) table.add(entry);
  const stopped: string[] = [];
  const dependencies = new Dependencies({
    table,
    views: { state: () => 'RUNNING', view: () => ({ phase: 'syncing' }) as ProcessView },
    start: async () => undefined,
    stop: async (id) => void stopped.push(id),
    halt: async () => undefined,
    log: () => silentLogger,
  });
  await dependencies.stopDependents(db);
  assert.deepEqual(stopped.sort(), [api.id, web.id]);
  stopped.length = 0;
  dependencies.onFact({ type: 'phase.changed', id: db.id, phase: 'terminating' });
  assert.deepEqual(stopped, [web.id]);
  assert.throws(() => dependencies.checkDelete(db), /required by web, api|required by api, web/);
});

test('a create that names another process is still checked: a missing name and a cycle are refused', () => {
  const table = new ProcessTable();
  const dependencies = dependenciesOver(table);
  table.add(entryOf('a', { after: ['b'] }));
  assert.throws(() => dependencies.check(validateSpec({ name: 'c', command: 'sleep', requires: ['nope'] })), /there is no 'nope'/);
  assert.throws(() => dependencies.check(validateSpec({ name: 'b', command: 'sleep', after: ['a'] })), /cycle|a → b|b → a/i);
  dependencies.check(validateSpec({ name: 'b', command: 'sleep' }));
});
