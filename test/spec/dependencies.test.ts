/** Dependency entries as a spec spells them, and the graph of a set of specs (pure). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateSpec } from '../../src/spec/validate.js';
import { parseDependency } from '../../src/spec/dependencies.js';
import { batchStartOrder, findCycle, startOrder, stopLayers, unknownReferences } from '../../src/spec/dependency-graph.js';
import { minimal, violationOf } from './support.js';

const spec = (name: string, fields: Record<string, string[]> = {}) => validateSpec({ ...minimal, name, ...fields });

test('after, requires and wants take NAME[:started|healthy|completed_successfully]; started is the default', () => {
  const s = spec('web', { after: ['a:started'], requires: ['db:healthy'], wants: ['migrate:completed_successfully', 'cache'] });
  assert.deepEqual(s.requires, ['db:healthy']);
  assert.deepEqual(parseDependency('db:healthy'), { name: 'db', condition: 'healthy' });
  assert.deepEqual(parseDependency('cache'), { name: 'cache', condition: 'started' });
});

test('an unknown condition, or a condition in before, binds_to or conflicts, is refused with the field', () => {
  const bad = violationOf(() => spec('web', { requires: ['db:ready'] }));
  assert.equal(bad.field, 'requires[0]');
  assert.match(bad.expected, /optionally followed by :started, :healthy, :completed_successfully/);
  for (const field of ['before', 'binds_to', 'conflicts']) {
    assert.equal(violationOf(() => spec('web', { [field]: ['db:healthy'] })).field, `${field}[0]`);
  }
});

test('a dependency on itself is refused, condition or not', () => {
  assert.equal(violationOf(() => spec('web', { requires: ['web:healthy'] })).field, 'requires[0]');
});

test('a conflict with a process also required (by its name, whatever the condition) is refused', () => {
  assert.equal(violationOf(() => spec('web', { requires: ['db:healthy'], conflicts: ['db'] })).field, 'conflicts[0]');
});

test('findCycle follows after, requires, wants, binds_to and before (before: [x] on a is after: [a] on x)', () => {
  assert.equal(findCycle([spec('a'), spec('b', { after: ['a'] })]), undefined);
  assert.deepEqual(findCycle([spec('a', { requires: ['b:healthy'] }), spec('b', { wants: ['a'] })]), ['a', 'b', 'a']);
  assert.deepEqual(findCycle([spec('a', { before: ['b'] }), spec('b', { bindsTo: ['a'] } as never)]), undefined);
  assert.deepEqual(findCycle([spec('a', { before: ['c'] }), spec('b', { after: ['c'] }), spec('c', { after: ['b'] })]), ['b', 'c', 'b']);
  assert.deepEqual(findCycle([spec('a', { before: ['c'] }), spec('b', { after: ['a'] }), spec('c', { after: ['b'] })]), undefined);
  assert.deepEqual(findCycle([spec('a', { before: ['b'] }), spec('b', { before: ['c'] }), spec('c', { before: ['a'] })]), ['a', 'c', 'b', 'a']);
  // conflicts do not order
  assert.equal(findCycle([spec('a', { conflicts: ['b'] }), spec('b', { conflicts: ['a'] })]), undefined);
});

test('start order puts what a process starts after first; stop layers put dependents first', () => {
  const specs = [spec('web', { requires: ['db'], after: ['migrate:completed_successfully'] }), spec('db'), spec('migrate', { after: ['db'] }), spec('proxy', { before: ['web'] })];
  assert.deepEqual(startOrder(specs, ['web', 'db', 'migrate', 'proxy']), ['db', 'migrate', 'proxy', 'web']);
  assert.deepEqual(stopLayers(specs, ['db', 'migrate', 'web', 'proxy']), [['web'], ['migrate', 'proxy'], ['db']]);
  // Only the names asked for are ordered.
  assert.deepEqual(stopLayers(specs, ['db', 'proxy']), [['db', 'proxy']]);
});

test('a batch in start order leaves out the members of a cycle, through processes outside the batch too', () => {
  const { ordered, cycle } = batchStartOrder([spec('b', { after: ['x'] }), spec('c')], [spec('x', { after: ['b'] })]);
  assert.deepEqual(cycle, ['b', 'x', 'b']);
  assert.deepEqual(ordered.map((s) => s.name), ['c']);
});

test('unknownReferences names every field path whose process is not known', () => {
  const web = spec('web', { requires: ['db:healthy'], wants: ['cache'], before: ['proxy'] });
  assert.deepEqual(unknownReferences(web, new Set(['web', 'cache'])), [
    { path: 'before[0]', name: 'proxy' },
    { path: 'requires[0]', name: 'db' },
  ]);
});
