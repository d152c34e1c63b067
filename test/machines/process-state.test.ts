/**
 * The state a person sees is read from the chart's tags, never from its state names: one table
 * says what each tag (and the run's context) shows, and a walk of the chart proves every leaf state
 * has exactly one state tag, so a state added or renamed cannot fall through to a wrong answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyStateNode } from 'xstate';
import { processMachine } from '../../src/machines/process.machine.js';
import {
  isIdle,
  phaseOf,
  processStateOf,
  processStates,
  stateTags,
  type ProcessState,
  type StateTag,
} from '../../src/machines/process-state.js';
import { phases, type Phase } from '../../src/machines/process-types.js';
import type { RunOutcome } from '../../src/machines/restart-policy.js';

interface Run {
  healthGated?: boolean;
  everHealthy?: boolean;
  outcome?: RunOutcome;
}

// [the state tag, the run's context, what a person sees]
const table: [StateTag | 'no actor', Run, ProcessState][] = [
  ['no actor', {}, 'CREATED'],
  ['launching', {}, 'STARTING'],
  ['launching', { healthGated: true }, 'STARTING'],
  ['backoff', {}, 'BACKOFF'],
  ['backoff', { outcome: 'failed' }, 'BACKOFF'],
  ['workloadUp', {}, 'RUNNING'],
  ['workloadUp', { healthGated: true }, 'STARTING'],
  ['workloadUp', { healthGated: true, everHealthy: true }, 'RUNNING'],
  ['workloadUp', { healthGated: false, everHealthy: false }, 'RUNNING'],
  ['stopping', {}, 'STOPPING'],
  ['stopping', { healthGated: true }, 'STOPPING'],
  ['ended', { outcome: 'stopped' }, 'STOPPED'],
  ['ended', { outcome: 'exited' }, 'EXITED'],
  ['ended', { outcome: 'failed' }, 'FAILED'],
  ['ended', {}, 'STOPPED'],
];

for (const [tag, run, shown] of table) {
  test(`${tag} ${JSON.stringify(run)} shows ${shown}`, () => {
    const snapshot =
      tag === 'no actor'
        ? undefined
        : {
            hasTag: (t: StateTag) => t === tag,
            context: { healthGated: run.healthGated ?? false, everHealthy: run.everHealthy ?? false, outcome: run.outcome },
          };
    assert.equal(processStateOf(snapshot), shown);
  });
}

test('every ProcessState but UNSPECIFIED is reachable from the table', () => {
  assert.deepEqual([...new Set(table.map(([, , shown]) => shown))].sort(), [...processStates].sort());
});

test('idle means no run is under way', () => {
  const idle = processStates.filter(isIdle);
  assert.deepEqual(idle, ['CREATED', 'STOPPED', 'EXITED', 'FAILED']);
});

/** Every leaf state node of the chart, with the tags it and its ancestors carry. */
function leaves(node: AnyStateNode, inherited: readonly string[] = []): { path: string; tags: string[] }[] {
  const tags = [...inherited, ...node.tags];
  const children = Object.values(node.states);
  if (children.length === 0) return [{ path: node.path.join('.'), tags }];
  return children.flatMap((child) => leaves(child, tags));
}

test('every leaf state of the process chart carries exactly one state tag', () => {
  const found = leaves(processMachine.root);
  assert.ok(found.length > 20, `the walk found the chart's leaves: ${found.length}`);
  for (const { path, tags } of found) {
    const stateTagsHere = tags.filter((tag) => (stateTags as readonly string[]).includes(tag));
    assert.equal(stateTagsHere.length, 1, `${path}: ${stateTagsHere.join(', ') || 'no state tag'}`);
  }
});

test('each phase is read from the chart by its top state', () => {
  for (const phase of phases) {
    assert.equal(phaseOf({ matches: (candidate: Phase) => candidate === phase }), phase);
  }
  assert.throws(() => phaseOf({ matches: () => false }), /no phase/);
});
