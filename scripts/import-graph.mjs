// The rules of src/'s import graph, as pure functions over a graph of files (what madge reads from
// the TypeScript sources, `import type` included: a type import binds two layers as much as a value
// import does, though the compiled JavaScript no longer shows it). Used by check-cycles.mjs.
//
// A layer is a directory of src/ (src/server/grpc/x.ts is in `server`) or a file at its root
// (src/errors.ts is `errors`). Imports point down only, as DESIGN.md's "Layers" draws them; the
// table says, for each layer, which layers below it it may import. The shared modules at src/'s
// root may be imported by every layer and import only one another.

/** Each layer and the layers it may import (itself and the shared modules always). */
export const allowedImports = {
  bin: ['cli', 'server'],
  // The embedding API also offers the worker runtime and the spec validator its configs come from.
  index: ['manager', 'machines', 'runtime', 'spec'],
  cli: ['client', 'spec', 'charts'],
  client: ['proto', 'spec'],
  server: ['store', 'runtime', 'spec', 'manager', 'machines', 'proto', 'charts'],
  store: ['runtime'],
  runtime: ['spec', 'manager', 'machines'],
  proto: ['spec'],
  // The restart policy's names are the chart's (machines/restart-policy.ts, pure, imports nothing).
  spec: ['machines'],
  manager: ['machines'],
  // Pure functions over a chart: its config form, Mermaid, SCXML, redaction, inspection lines.
  charts: ['machines'],
  machines: [],
};

/** Modules at src/'s root that every layer may import. */
export const sharedModules = ['errors', 'paths', 'token-file', 'tls-files', 'deadlines', 'node-flags'];

export function layerOf(file) {
  const slash = file.indexOf('/');
  return slash === -1 ? file.replace(/\.[cm]?[jt]s$/, '') : file.slice(0, slash);
}

/**
 * The cycles of a graph ({ node: [nodes it imports] }): each strongly connected component of more
 * than one node, or a node importing itself, as a sorted list of its nodes (Tarjan's algorithm).
 */
export function cyclesOf(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  let next = 0;
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of graph[node] ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node), index.get(to)));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph[node] ?? []).includes(node)) found.push(component.sort());
  };
  for (const node of Object.keys(graph).sort()) if (!index.has(node)) visit(node);
  return found.sort((a, b) => a[0].localeCompare(b[0]));
}

/** The graph of layers, each edge with the file imports that make it. */
export function layerGraph(files) {
  const edges = new Map();
  for (const [from, tos] of Object.entries(files)) {
    for (const to of tos) {
      const a = layerOf(from);
      const b = layerOf(to);
      if (a === b) continue;
      const key = `${a} -> ${b}`;
      if (!edges.has(key)) edges.set(key, { from: a, to: b, imports: [] });
      edges.get(key).imports.push(`${from} -> ${to}`);
    }
  }
  const graph = {};
  for (const { from, to } of edges.values()) (graph[from] ??= []).push(to);
  return { graph, edges: [...edges.values()] };
}

/** Every layer edge the table does not allow, and every layer it does not know. */
export function layerViolations(files, allowed = allowedImports, shared = sharedModules) {
  const known = (layer) => layer in allowed || shared.includes(layer);
  const unknown = new Set(Object.keys(files).map(layerOf).filter((layer) => !known(layer)));
  const violations = layerGraph(files).edges.filter(({ from, to }) => {
    if (!known(from) || !known(to)) return false;
    if (shared.includes(from)) return !shared.includes(to);
    return !shared.includes(to) && !allowed[from].includes(to);
  });
  return { violations, unknown: [...unknown].sort() };
}
