/**
 * A chart as SCXML (W3C State Chart XML, https://www.w3.org/TR/scxml/) for tools that read it:
 * one `<state>`, `<parallel>`, `<final>` or `<history>` per state node, ids being XState's ids
 * (`process.starting.syncHook`). The ECMAScript data model carries what XState names: a guard is
 * `cond="isTerminal()"`, an action `<script>beginRun()</script>` (static parameters as a JSON
 * argument), an invoked actor `<invoke type="xstate" src="syncProcess"/>`, and a named delay
 * `<send event="xstate.after.…" delayexpr="restartDelay()"/>` on entry, cancelled on exit, as
 * XState schedules it. The implementations are the host's, as with `machine.provide()`; tags,
 * which SCXML lacks, are kept in the `xstate:tags` attribute. The context, when the definition has
 * one (redacted), is the data model's `context`.
 */
import { chartGraph, implementationName, type GraphEdge, type GraphNode } from './chart-graph.js';
import type { ChartDefinition, ChartImplementation } from './config-form.js';

const scxmlNamespace = 'http://www.w3.org/2005/07/scxml';
const xstateNamespace = 'https://stately.ai/xstate';

export function chartToScxml(definition: ChartDefinition): string {
  const graph = chartGraph(definition);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const rootInitial = initialOf(graph.root);
  out.push(
    `<scxml xmlns="${scxmlNamespace}" xmlns:xstate="${xstateNamespace}" version="1.0" datamodel="ecmascript" name="${attr(definition.id)}"${
      rootInitial === undefined ? '' : ` initial="${attr(xmlId(rootInitial.id))}"`
    }>`,
  );
  if (definition.context !== undefined) {
    out.push('  <datamodel>', `    <data id="context" expr="${attr(JSON.stringify(definition.context))}"/>`, '  </datamodel>');
  }
  const edgesBySource = new Map<GraphNode, GraphEdge[]>();
  for (const edge of graph.edges) edgesBySource.set(edge.source, [...(edgesBySource.get(edge.source) ?? []), edge]);
  // Transitions of the root itself: SCXML has no place for them on <scxml>, so each top state gets them.
  const rootEdges = edgesBySource.get(graph.root) ?? [];

  const linesOf = (node: GraphNode, indent: string): string[] => {
    const element = elementOf(node);
    const attrs = [`id="${attr(xmlId(node.id))}"`];
    const initial = node.kind === 'compound' ? initialOf(node) : undefined;
    if (initial !== undefined) attrs.push(`initial="${attr(xmlId(initial.id))}"`);
    if (node.kind === 'history') attrs.push(`type="${node.node.history ?? 'shallow'}"`);
    if (node.node.tags !== undefined && node.node.tags.length > 0) attrs.push(`xstate:tags="${attr(node.node.tags.join(' '))}"`);
    const body: string[] = [];
    const inner = `${indent}  `;
    const delays = Object.keys(node.node.after ?? {});
    const entry = [
      ...(node.node.entry ?? []).map((action) => `${inner}  <script>${text(call(action))}</script>`),
      ...delays.map((delay) => `${inner}  <send event="${attr(afterEvent(delay, node))}" id="${attr(afterEvent(delay, node))}" ${delayAttr(delay)}/>`),
    ];
    const exit = [
      ...(node.node.exit ?? []).map((action) => `${inner}  <script>${text(call(action))}</script>`),
      ...delays.map((delay) => `${inner}  <cancel sendid="${attr(afterEvent(delay, node))}"/>`),
    ];
    if (entry.length > 0) body.push(`${inner}<onentry>`, ...entry, `${inner}</onentry>`);
    if (exit.length > 0) body.push(`${inner}<onexit>`, ...exit, `${inner}</onexit>`);
    (node.node.invoke ?? []).forEach((invoke, index) => {
      body.push(`${inner}<invoke type="xstate" src="${attr(invoke.src)}" id="${attr(invokeId(invoke.id ?? `${index}.${node.id}`))}"/>`);
    });
    const edges = [...(edgesBySource.get(node) ?? []), ...(node.parent === graph.root ? rootEdges : [])];
    for (const edge of edges) body.push(...transitionLines(edge, inner));
    if (node.kind === 'history' && node.node.target !== undefined) {
      const target = graph.byId(`${node.parent!.id}.${node.node.target}`);
      if (target !== undefined) body.push(`${inner}<transition target="${attr(xmlId(target.id))}"/>`);
    }
    for (const child of node.children) body.push(...linesOf(child, inner));
    if (body.length === 0) return [`${indent}<${element} ${attrs.join(' ')}/>`];
    return [`${indent}<${element} ${attrs.join(' ')}>`, ...body, `${indent}</${element}>`];
  };
  for (const child of graph.root.children) out.push(...linesOf(child, '  '));
  out.push('</scxml>');
  return `${out.join('\n')}\n`;
}

function elementOf(node: GraphNode): string {
  switch (node.kind) {
    case 'parallel':
      return 'parallel';
    case 'final':
      return 'final';
    case 'history':
      return 'history';
    default:
      return 'state';
  }
}

function initialOf(node: GraphNode): GraphNode | undefined {
  const { initial } = node.node;
  return initial === undefined ? node.children[0] : node.children.find((child) => child.key === initial);
}

function transitionLines(edge: GraphEdge, indent: string): string[] {
  const attrs: string[] = [];
  const event = eventOf(edge);
  if (event !== undefined) attrs.push(`event="${attr(event)}"`);
  if (edge.guard !== undefined) attrs.push(`cond="${attr(`${edge.guard}()`)}"`);
  if (edge.targets.length > 0) attrs.push(`target="${attr(edge.targets.map((target) => xmlId(target.id)).join(' '))}"`);
  attrs.push(`type="${edge.reenter ? 'external' : 'internal'}"`);
  if (edge.actions.length === 0) return [`${indent}<transition ${attrs.join(' ')}/>`];
  return [
    `${indent}<transition ${attrs.join(' ')}>`,
    ...edge.actions.map((action) => `${indent}  <script>${text(`${action}()`)}</script>`),
    `${indent}</transition>`,
  ];
}

function eventOf(edge: GraphEdge): string | undefined {
  const { trigger } = edge;
  switch (trigger.kind) {
    case 'event':
      return trigger.event;
    case 'after':
      return afterEvent(trigger.delay, edge.source);
    case 'always':
      return undefined;
    case 'done':
      return `done.invoke.${invokeId(trigger.invokeId)}`;
    case 'error':
      return `error.invoke.${invokeId(trigger.invokeId)}`;
  }
}

/** The event XState raises when a delay of a state passes. */
function afterEvent(delay: string, node: GraphNode): string {
  return `xstate.after.${delay}.${node.id}`;
}

function delayAttr(delay: string): string {
  return /^\d+$/.test(delay) ? `delay="${delay}ms"` : `delayexpr="${attr(`${delay}()`)}"`;
}

function call(action: ChartImplementation): string {
  const name = implementationName(action);
  return typeof action === 'string' || action.params === undefined ? `${name}()` : `${name}(${JSON.stringify(action.params)})`;
}

/** An XML id (an NCName): XState's id, with anything an NCName cannot hold replaced. */
function xmlId(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9._-]/g, '_');
  return /^[A-Za-z_]/.test(safe) ? safe : `_${safe}`;
}

/** XState names an invoke by its index and state (`0.process.starting.syncHook`); xmlId puts `_` before the digit. */
function invokeId(id: string): string {
  return xmlId(id);
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function text(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
