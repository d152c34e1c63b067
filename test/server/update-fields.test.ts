import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateSpec } from '../../src/spec/validate.js';
import { classifyUpdate } from '../../src/server/update-fields.js';

const base = validateSpec({ name: 'web', command: 'sleep', args: ['60'] });
const changed = (fields: Record<string, unknown>) => validateSpec({ name: 'web', command: 'sleep', args: ['60'], ...fields });

test('hot fields apply at once; restart-required ones are named; limits depend on a live cgroup', () => {
  const cases: [string, Record<string, unknown>, boolean | undefined, string[], string[]][] = [
    ['restart policy', { restart: { policy: 'always' } }, false, ['restart.policy'], []],
    ['env', { env: { A: '1' } }, false, ['env'], ['env']],
    ['health check', { health_check: { type: 'tcp', port: 80 } }, false, ['health_check'], []],
    ['start timeout', { start_timeout: '5s' }, false, ['start_timeout_ms'], []],
    ['a limit, no live group', { resources: { pids: 10 } }, false, ['resources.pids'], ['resources.pids']],
    ['a limit, live group', { resources: { pids: 10 } }, true, ['resources.pids'], []],
    ['control-group, no live group', { stop: { kill_mode: 'control-group' } }, false, ['stop.kill_mode'], ['stop.kill_mode']],
    ['control-group, live group', { stop: { kill_mode: 'control-group' } }, true, ['stop.kill_mode'], []],
    ['another kill mode', { stop: { kill_mode: 'mixed' } }, false, ['stop.kill_mode'], []],
    ['binds_to, conflicts and before: read live', { binds_to: ['db'], conflicts: ['x'], before: ['y'] }, false, ['before', 'binds_to', 'conflicts'], []],
    ['after, requires and wants: read when a run starts', { after: ['a'], requires: ['db:healthy'], wants: ['c'] }, false, ['after', 'requires', 'wants'], ['after', 'requires', 'wants']],
  ];
  for (const [what, fields, liveGroup, updated, restartRequired] of cases) {
    const result = classifyUpdate(base, changed(fields), { liveGroup });
    assert.deepEqual(result, { updated, restartRequired }, what);
  }
});

test('unsetting kill_mode needs a restart only where the default is control-group and the run has no group', () => {
  const mixed = changed({ stop: { kill_mode: 'mixed' } });
  const cases: [string, { liveGroup: boolean; canGroup: boolean }, string[]][] = [
    ['default control-group, no live group', { liveGroup: false, canGroup: true }, ['stop.kill_mode']],
    ['default control-group, live group', { liveGroup: true, canGroup: true }, []],
    ['default process-group', { liveGroup: false, canGroup: false }, []],
  ];
  for (const [what, options, restartRequired] of cases) {
    assert.deepEqual(classifyUpdate(mixed, base, options), { updated: ['stop.kill_mode'], restartRequired }, what);
  }
});
