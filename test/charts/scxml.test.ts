/**
 * The SCXML form: well-formed XML (fast-xml-parser's validator), in the SCXML namespace, with one
 * <state>/<parallel>/<final>/<history> per node of the chart, each transition targeting an id that
 * exists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { createMachine } from 'xstate';
import { chartGraph } from '../../src/charts/chart-graph.js';
import { chartDefinition, type ChartDefinition } from '../../src/charts/config-form.js';
import { chartOfKind, chartOfProcess } from '../../src/charts/machine-charts.js';
import { chartToScxml } from '../../src/charts/scxml.js';
import { initialProcessContext } from '../../src/machines/process-context.js';

type Element = Record<string, unknown> & { ':@'?: Record<string, string> };
const stateElements = new Set(['state', 'parallel', 'final', 'history']);

/** Every element of the document, depth first, with its name and attributes. */
function elements(xml: string): { name: string; attrs: Record<string, string> }[] {
  const tree = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as Element[];
  const found: { name: string; attrs: Record<string, string> }[] = [];
  const walk = (list: Element[]) => {
    for (const item of list) {
      const name = Object.keys(item).find((key) => key !== ':@')!;
      found.push({ name, attrs: item[':@'] ?? {} });
      if (Array.isArray(item[name])) walk(item[name] as Element[]);
    }
  };
  walk(tree);
  return found;
}

function assertScxmlOf(definition: ChartDefinition): string {
  const xml = chartToScxml(definition);
  assert.equal(XMLValidator.validate(xml), true, `not well-formed: ${JSON.stringify(XMLValidator.validate(xml))}`);
  const all = elements(xml);
  const root = all.find((element) => element.name === 'scxml')!;
  assert.equal(root.attrs.xmlns, 'http://www.w3.org/2005/07/scxml');
  assert.equal(root.attrs.version, '1.0');
  const states = all.filter((element) => stateElements.has(element.name));
  const graph = chartGraph(definition);
  assert.deepEqual(
    states.map((element) => element.attrs.id),
    graph.nodes.map((node) => node.id),
    'one state element per node, in document order',
  );
  for (const node of graph.nodes) {
    const element = states.find((candidate) => candidate.attrs.id === node.id)!;
    assert.equal(element.name, node.kind === 'compound' || node.kind === 'atomic' ? 'state' : node.kind, node.id);
  }
  const ids = new Set(states.map((element) => element.attrs.id));
  for (const transition of all.filter((element) => element.name === 'transition' && element.attrs.target !== undefined)) {
    for (const target of transition.attrs.target!.split(' ')) assert.ok(ids.has(target), `transition to unknown ${target}`);
  }
  for (const element of all.filter((candidate) => candidate.attrs.initial !== undefined)) {
    assert.ok(ids.has(element.attrs.initial!), `initial ${element.attrs.initial} is no state`);
  }
  return xml;
}

test('the process chart as SCXML: well-formed, one element per state, parallel syncing, delays sent and cancelled', () => {
  const xml = assertScxmlOf(chartOfKind('process'));
  assert.match(xml, /<parallel id="process\.syncing" xstate:tags="workloadUp">/);
  assert.match(xml, /<send event="xstate\.after\.restartDelay\.process\.terminated\.restartDelay" id="[^"]+" delayexpr="restartDelay\(\)"\/>/);
  assert.match(xml, /<cancel sendid="xstate\.after\.restartDelay\.process\.terminated\.restartDelay"\/>/);
  assert.match(xml, /<transition event="done\.invoke\._0\.process\.starting\.syncHook" cond="isTerminal\(\)" target="process\.terminating" type="internal">/);
  assert.match(xml, /<invoke type="xstate" src="syncProcess" id="_0\.process\.starting\.syncHook"\/>/);
});

test('the supervisor chart as SCXML: its final state is a <final>', () => {
  const xml = assertScxmlOf(chartOfKind('supervisor'));
  assert.match(xml, /<final id="supervisor\.stopped">/);
});

test("a process's context goes into the data model, escaped and redacted", () => {
  const context = { ...initialProcessContext({ id: 'api' }), config: { args: ['<a & "b">'], env: { TOKEN: 'x-secret-value' } } };
  const xml = assertScxmlOf(chartOfProcess(context));
  assert.ok(!xml.includes('x-secret-value'));
  const data = elements(xml).find((element) => element.name === 'data')!;
  assert.deepEqual((JSON.parse(data.attrs.expr!) as { config: unknown }).config, { args: ['<a & "b">'], env: { TOKEN: '[redacted]' } });
});

test('names with characters XML reserves are escaped', () => {
  const machine = createMachine({ id: 'odd', initial: 'a', states: { a: { on: { 'x<y&"z"': 'b' } }, b: { type: 'final' } } });
  assertScxmlOf(chartDefinition(machine));
});
