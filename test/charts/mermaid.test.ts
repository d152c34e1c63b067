/**
 * The Mermaid drawing of a chart: parsed by mermaid's own parser (test/helpers/mermaid-parser.ts),
 * which must find every state of the chart under its parent, every transition, and the lit states.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMachine } from 'xstate';
import { chartGraph } from '../../src/charts/chart-graph.js';
import { chartDefinition, type ChartDefinition } from '../../src/charts/config-form.js';
import { chartOfKind } from '../../src/charts/machine-charts.js';
import { chartToMermaid, mermaidId } from '../../src/charts/mermaid.js';
import { parseMermaid, type ParsedNode } from '../helpers/mermaid-parser.js';

const idOf = mermaidId;

/** The composite a parsed node sits in, looking through the dividers mermaid makes for regions. */
function compositeOf(node: ParsedNode, byId: Map<string, ParsedNode>): string | undefined {
  let parent = node.parentId === undefined || node.parentId === '' ? undefined : byId.get(node.parentId);
  while (parent !== undefined && !parent.label) parent = parent.parentId ? byId.get(parent.parentId) : undefined;
  // A region of a parallel state is itself in a divider; the divider is in the parallel state.
  return parent?.id;
}

async function assertDrawsChart(definition: ChartDefinition, active: string[] = []): Promise<void> {
  const text = chartToMermaid(definition, { active });
  const parsed = await parseMermaid(text);
  assert.equal(parsed.type, 'stateDiagram');
  const byId = new Map(parsed.nodes.map((node) => [node.id, node]));
  const graph = chartGraph(definition);
  for (const node of graph.nodes) {
    const drawn = byId.get(idOf(node.path));
    assert.ok(drawn, `${node.id} is not in the drawing`);
    assert.equal(drawn.label, node.key);
    assert.equal(drawn.isGroup, node.children.length > 0, `${node.id}: composite or not`);
    const parent = node.parent === graph.root ? undefined : idOf(node.parent!.path);
    assert.equal(compositeOf(drawn, byId), parent, `${node.id} is drawn under ${compositeOf(drawn, byId)}, not ${parent}`);
  }
  const transitions = graph.edges.reduce((sum, edge) => sum + edge.targets.length, 0);
  const initials = [graph.root, ...graph.nodes].filter((node) => node.kind === 'compound').length;
  const finals = graph.nodes.filter((node) => node.kind === 'final').length;
  assert.equal(parsed.edges.length, transitions + initials + finals);
  const lit = parsed.nodes.filter((node) => (node.cssClasses ?? '').split(/\s+/).includes('active')).map((node) => node.id);
  assert.deepEqual(lit.sort(), active.map((path) => idOf(path.split('.'))).sort());
}

test('the process chart parses with mermaid, every state under its parent and every transition drawn', async () => {
  await assertDrawsChart(chartOfKind('process'));
});

test('the states a process is in are given the class active (both regions of syncing)', async () => {
  await assertDrawsChart(chartOfKind('process'), ['syncing.sync.awaitingUpdate', 'syncing.health.off']);
  const text = chartToMermaid(chartOfKind('process'), { active: ['#process.terminated.restartDelay'] });
  assert.match(text, /^ {2}class terminated_restartDelay active$/m);
  assert.match(text, /^ {2}classDef active /m);
});

test('an active state that is not in the chart is an error naming it', () => {
  assert.throws(() => chartToMermaid(chartOfKind('process'), { active: ['syncing.nowhere'] }), /active: "syncing.nowhere" is no state/);
});

test('the supervisor chart parses, its final state drawn into [*]', async () => {
  await assertDrawsChart(chartOfKind('supervisor'), ['running']);
  assert.match(chartToMermaid(chartOfKind('supervisor')), /^ {2}stopped --> \[\*\]$/m);
});

test('event names with characters mermaid reads as syntax are still drawn as labels', async () => {
  const machine = createMachine({
    id: 'odd',
    initial: 'a',
    states: {
      a: { on: { 'x:y;z#1 {"q"}': 'b', end: 'state', 'note left of a': 'note' } },
      b: { after: { 1000: 'a' }, on: { go: 'class', turn: 'direction' } },
      note: { on: { back: 'a' } },
      class: { type: 'parallel', states: { end: { initial: 'x', states: { x: {} } }, fork: {} } },
      direction: {},
      'dash-ed': {},
      state: { type: 'final' },
    },
  });
  await assertDrawsChart(chartDefinition(machine), ['b', 'class.end.x']);
});
