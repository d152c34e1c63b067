/**
 * A chart as Mermaid `stateDiagram-v2` text: compound states as composite states, a parallel
 * state's regions separated by `--`, each initial state marked from `[*]`, final states into `[*]`,
 * every transition labelled with what triggers it (an event, `after <delay>`, `always`, `done <actor>`,
 * `error <actor>`) and its guard in brackets. The states a process is in are given the class
 * `active` (`classDef active …`), so a drawing lights them.
 *
 * Node ids are the state paths joined with `_` (`starting_syncHook`): keys repeat across the chart
 * (there is a `syncHook` in starting and in syncing.sync), ids may not. Each node is labelled with
 * its own key. A transition is written in the innermost composite that holds both its ends, which
 * is where Mermaid expects a transition between them.
 */
import { chartGraph, nodeAt, type ChartGraph, type GraphEdge, type GraphNode, type Trigger } from './chart-graph.js';
import type { ChartDefinition } from './config-form.js';

export interface MermaidOptions {
  /** The states to light: leaf paths ("starting.syncHook", "syncing.sync.awaitingUpdate") or ids. */
  readonly active?: readonly string[];
}

/** The class given to active states, and its style. */
export const activeClass = 'active';
const activeStyle = 'fill:#fde68a,stroke:#b45309,stroke-width:3px,color:#111';

export function chartToMermaid(definition: ChartDefinition, options: MermaidOptions = {}): string {
  const graph = chartGraph(definition);
  const names = mermaidIds(graph);
  const edgesByScope = new Map<GraphNode, GraphEdge[]>();
  for (const edge of graph.edges) {
    for (const target of edge.targets) {
      const scope = commonComposite(edge.source, target);
      const list = edgesByScope.get(scope) ?? [];
      list.push({ ...edge, targets: [target] });
      edgesByScope.set(scope, list);
    }
  }
  const lines = ['stateDiagram-v2'];
  const writeBody = (composite: GraphNode, indent: string): void => {
    const writeEdges = (edges: readonly GraphEdge[]): void => {
      for (const edge of edges) lines.push(`${indent}${names.get(edge.source)} --> ${names.get(edge.targets[0]!)} : ${edgeLabel(edge)}`);
    };
    const edges = edgesByScope.get(composite) ?? [];
    if (composite.kind === 'parallel') {
      // Mermaid has no place for a line between regions: each goes into the region of its source.
      composite.children.forEach((region, i) => {
        if (i > 0) lines.push(`${indent}--`);
        writeNode(region, indent);
        writeEdges(edges.filter((edge) => isWithin(edge.source, region)));
      });
      return;
    }
    const initial = initialChild(composite);
    if (initial !== undefined) lines.push(`${indent}[*] --> ${names.get(initial)}`);
    for (const child of composite.children) writeNode(child, indent);
    writeEdges(edges);
  };
  const writeNode = (node: GraphNode, indent: string): void => {
    const id = names.get(node)!;
    if (node.children.length > 0) {
      lines.push(`${indent}state "${label(node.key)}" as ${id} {`);
      writeBody(node, `${indent}  `);
      lines.push(`${indent}}`);
      return;
    }
    lines.push(`${indent}state "${label(node.key)}" as ${id}`);
    for (const invoke of node.node.invoke ?? []) lines.push(`${indent}${id} : invokes ${label(invoke.src)}`);
    if (node.kind === 'final') lines.push(`${indent}${id} --> [*]`);
  };
  writeBody(graph.root, '  ');

  const active = (options.active ?? []).map((path) => {
    const node = nodeAt(graph, path);
    if (node === undefined || node === graph.root) throw new Error(`active: "${path}" is no state of the chart "${definition.id}"`);
    return node;
  });
  lines.push(`  classDef ${activeClass} ${activeStyle}`);
  for (const node of active) lines.push(`  class ${names.get(node)} ${activeClass}`);
  return `${lines.join('\n')}\n`;
}

/** Words mermaid's state grammar reads as syntax where an id is expected. */
const reservedWords = /^(state|note|class|classdef|style|direction|click|end|hide|scale|as|left|right|of|over|fork|join|choice|acctitle|accdescr|statediagram)(_|$)/i;

/**
 * The Mermaid id of the state at `path` (keys from the root): the keys joined with `_`, other
 * characters replaced, `s_` before one that is not a word mermaid can take for an id. A page that
 * draws the text finds a state's element by it.
 */
export function mermaidId(path: readonly string[]): string {
  const base = path.join('_').replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z]/.test(base) && !reservedWords.test(base) ? base : `s_${base}`;
}

/** A unique Mermaid id per node (two keys may differ only in characters that were replaced). */
function mermaidIds(graph: ChartGraph): Map<GraphNode, string> {
  const names = new Map<GraphNode, string>();
  const used = new Set<string>();
  for (const node of graph.nodes) {
    const base = mermaidId(node.path);
    let name = base;
    for (let n = 2; used.has(name); n += 1) name = `${base}_${n}`;
    used.add(name);
    names.set(node, name);
  }
  return names;
}

function initialChild(composite: GraphNode): GraphNode | undefined {
  const { initial } = composite.node;
  if (initial !== undefined) return composite.children.find((child) => child.key === initial);
  return composite.children[0];
}

/** The innermost composite that contains both ends (the root when nothing smaller does). */
function commonComposite(a: GraphNode, b: GraphNode): GraphNode {
  const ancestors = new Set<GraphNode>();
  for (let node = a.parent; node !== undefined; node = node.parent) ancestors.add(node);
  for (let node = b.parent; node !== undefined; node = node.parent) {
    if (ancestors.has(node)) return node;
  }
  return a.parent ?? a;
}

function isWithin(node: GraphNode, ancestor: GraphNode): boolean {
  for (let at: GraphNode | undefined = node; at !== undefined; at = at.parent) if (at === ancestor) return true;
  return false;
}

function edgeLabel(edge: GraphEdge): string {
  const guard = edge.guard === undefined ? '' : ` [${edge.guard}]`;
  return label(`${triggerLabel(edge.trigger)}${guard}`);
}

export function triggerLabel(trigger: Trigger): string {
  switch (trigger.kind) {
    case 'event':
      return trigger.event;
    case 'after':
      return `after ${trigger.delay}`;
    case 'always':
      return 'always';
    case 'done':
      return `done ${trigger.src}`;
    case 'error':
      return `error ${trigger.src}`;
  }
}

/** Text Mermaid reads literally: no quotes, colons, semicolons, braces or `#` (its entity marker). */
function label(text: string): string {
  return text.replace(/["#;:{}<>]/g, ' ').replace(/\s+/g, ' ').trim();
}
