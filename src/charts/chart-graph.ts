/**
 * A chart definition (config form) as a graph: every state node with its path, id and kind, and
 * every transition with its source, its resolved targets and what triggers it. The drawings
 * (Mermaid, SCXML) read this; they never resolve a target themselves.
 *
 * Targets resolve as XState resolves them: `#id` by id (a node's `id`, else the machine's id and
 * the node's path joined with dots), `.child` below the source, anything else (`sibling`,
 * `sibling.child`) from the source's parent.
 */
import type { ChartDefinition, ChartImplementation, ChartNode, ChartTransitionConfig, ChartTransitions } from './config-form.js';

export type NodeKind = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

export interface GraphNode {
  /** Keys from the root (the root's is empty). */
  readonly path: readonly string[];
  readonly key: string;
  /** XState's id of the node: its own `id`, else the machine's id and its path joined with dots. */
  readonly id: string;
  readonly kind: NodeKind;
  readonly node: ChartNode;
  readonly parent: GraphNode | undefined;
  readonly children: GraphNode[];
}

export type Trigger =
  | { readonly kind: 'event'; readonly event: string }
  | { readonly kind: 'after'; readonly delay: string }
  | { readonly kind: 'always' }
  | { readonly kind: 'done'; readonly src: string; readonly invokeId: string }
  | { readonly kind: 'error'; readonly src: string; readonly invokeId: string };

export interface GraphEdge {
  readonly source: GraphNode;
  /** Empty for a transition that only runs actions. */
  readonly targets: readonly GraphNode[];
  readonly trigger: Trigger;
  readonly guard: string | undefined;
  readonly actions: readonly string[];
  readonly reenter: boolean;
}

export interface ChartGraph {
  readonly root: GraphNode;
  /** Every node below the root, depth first, in document order. */
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  byId(id: string): GraphNode | undefined;
}

export function chartGraph(definition: ChartDefinition): ChartGraph {
  const ids = new Map<string, GraphNode>();
  const nodes: GraphNode[] = [];
  const build = (node: ChartNode, key: string, path: readonly string[], parent: GraphNode | undefined): GraphNode => {
    const id = node.id ?? [definition.id, ...path].join('.');
    const graphNode: GraphNode = { path, key, id, kind: kindOf(node), node, parent, children: [] };
    ids.set(id, graphNode);
    if (parent !== undefined) nodes.push(graphNode);
    for (const [childKey, child] of Object.entries(node.states ?? {})) {
      graphNode.children.push(build(child, childKey, [...path, childKey], graphNode));
    }
    return graphNode;
  };
  const root = build(definition, definition.id, [], undefined);
  ids.set(definition.id, root);
  const edges: GraphEdge[] = [];
  for (const source of [root, ...nodes]) edges.push(...edgesOf(source, ids));
  return { root, nodes, edges, byId: (id) => ids.get(id.replace(/^#/, '')) };
}

function kindOf(node: ChartNode): NodeKind {
  if (node.type !== undefined) return node.type;
  return node.states !== undefined && Object.keys(node.states).length > 0 ? 'compound' : 'atomic';
}

function edgesOf(source: GraphNode, ids: Map<string, GraphNode>): GraphEdge[] {
  const { node } = source;
  const edges: GraphEdge[] = [];
  const add = (transitions: ChartTransitions | undefined, trigger: Trigger): void => {
    for (const transition of transitions === undefined ? [] : Array.isArray(transitions) ? transitions : [transitions]) {
      edges.push(edgeOf(source, transition, trigger, ids));
    }
  };
  for (const [event, transitions] of Object.entries(node.on ?? {})) add(transitions, { kind: 'event', event });
  for (const [delay, transitions] of Object.entries(node.after ?? {})) add(transitions, { kind: 'after', delay });
  add(node.always, { kind: 'always' });
  (node.invoke ?? []).forEach((invoke, index) => {
    // XState's generated id for an invoke without one: its index and the node's id.
    const invokeId = invoke.id ?? `${index}.${source.id}`;
    add(invoke.onDone, { kind: 'done', src: invoke.src, invokeId });
    add(invoke.onError, { kind: 'error', src: invoke.src, invokeId });
  });
  return edges;
}

function edgeOf(source: GraphNode, transition: ChartTransitionConfig, trigger: Trigger, ids: Map<string, GraphNode>): GraphEdge {
  const config = typeof transition === 'string' ? { target: transition } : transition;
  const targets = config.target === undefined ? [] : Array.isArray(config.target) ? config.target : [config.target];
  const actions = config.actions === undefined ? [] : Array.isArray(config.actions) ? config.actions : [config.actions];
  return {
    source,
    targets: targets.map((target) => resolveTarget(source, target, ids)),
    trigger,
    guard: config.guard === undefined ? undefined : implementationName(config.guard),
    actions: actions.map(implementationName),
    reenter: config.reenter === true,
  };
}

export function implementationName(implementation: ChartImplementation): string {
  return typeof implementation === 'string' ? implementation : implementation.type;
}

function resolveTarget(source: GraphNode, target: string, ids: Map<string, GraphNode>): GraphNode {
  const fail = (): never => {
    throw new Error(`${source.id}: the target "${target}" is no state of this chart`);
  };
  if (target.startsWith('#')) {
    const [id, ...rest] = target.slice(1).split('.');
    // "#a.b.c": the longest prefix that is an id, then keys below it.
    const parts = [id!, ...rest];
    for (let i = parts.length; i > 0; i -= 1) {
      const found = ids.get(parts.slice(0, i).join('.'));
      if (found !== undefined) return descend(found, parts.slice(i)) ?? fail();
    }
    return fail();
  }
  if (target.startsWith('.')) return descend(source, target.slice(1).split('.')) ?? fail();
  return descend(source.parent ?? source, target.split('.')) ?? fail();
}

function descend(from: GraphNode, keys: readonly string[]): GraphNode | undefined {
  let node: GraphNode | undefined = from;
  for (const key of keys) node = node?.children.find((child) => child.key === key);
  return node;
}

/** The node a leaf path names: "starting.syncHook", "process.starting.syncHook" or "#process.starting.syncHook". */
export function nodeAt(graph: ChartGraph, path: string): GraphNode | undefined {
  const byId = graph.byId(path);
  if (byId !== undefined) return byId;
  return descend(graph.root, path.split('.'));
}
