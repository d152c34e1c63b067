/**
 * The dependency graph of a set of specs, as pure functions: which process must wait for which
 * (an edge a → b says a starts after b), its cycles, the names it refers to that do not exist,
 * and the orders in which to start and to stop. `before: [x]` on a is `after: [a]` on x;
 * `requires`, `wants` and `binds_to` order too (a requirement starts first, as the issue asks,
 * where systemd would need an extra After=). `conflicts` does not order.
 */
import { dependencyFields, namesOf } from './dependencies.js';
import { snakeCase } from './section.js';
import type { ProcessSpec } from './types.js';

type Specs = Iterable<Pick<ProcessSpec, 'name' | 'after' | 'before' | 'requires' | 'wants' | 'bindsTo' | 'conflicts'>>;

/** name → the names it starts after, each with the field that says so (for messages). */
export function orderingEdges(specs: Specs): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  const add = (from: string, to: string, field: string) => {
    let out = edges.get(from);
    if (out === undefined) edges.set(from, (out = new Map()));
    if (!out.has(to)) out.set(to, field);
  };
  for (const spec of specs) {
    if (!edges.has(spec.name)) edges.set(spec.name, new Map());
    for (const field of ['after', 'requires', 'wants', 'bindsTo'] as const) {
      for (const name of namesOf(spec as ProcessSpec, field)) add(spec.name, name, field);
    }
    for (const name of spec.before) add(name, spec.name, 'before');
  }
  return edges;
}

/** The first cycle found, as names with the first repeated at the end (a → b → a), or undefined. */
export function findCycle(specs: Specs): string[] | undefined {
  const edges = orderingEdges(specs);
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    const seen = state.get(name);
    if (seen === 'done') return undefined;
    if (seen === 'open') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'open');
    path.push(name);
    for (const next of [...(edges.get(name)?.keys() ?? [])].sort()) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of [...edges.keys()].sort()) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}

export function describeCycle(cycle: readonly string[]): string {
  return cycle.join(' → ');
}

/** Every reference of `spec` to a name not in `known`, as a field path and the name. */
export function unknownReferences(spec: ProcessSpec, known: Pick<ReadonlySet<string>, 'has'>): { path: string; name: string }[] {
  const missing: { path: string; name: string }[] = [];
  for (const field of dependencyFields) {
    namesOf(spec, field).forEach((name, index) => {
      if (!known.has(name)) missing.push({ path: `${snakeCase(field)}[${index}]`, name });
    });
  }
  return missing;
}

/** The processes of `specs` that require or bind to `name`: they cannot run without it. */
export function requiredBy(specs: Specs, name: string): string[] {
  const out: string[] = [];
  for (const spec of specs) {
    if (namesOf(spec as ProcessSpec, 'requires').includes(name) || spec.bindsTo.includes(name)) out.push(spec.name);
  }
  return out;
}

/**
 * `names` in start order: each after what it starts after (within `names`), otherwise in the
 * order given. Members of a cycle keep their given order (cycles are refused at the edge).
 */
export function startOrder(specs: Specs, names: readonly string[]): string[] {
  const edges = orderingEdges(specs);
  const wanted = new Set(names);
  const placed = new Set<string>();
  const out: string[] = [];
  const place = (name: string, open: Set<string>) => {
    if (placed.has(name) || open.has(name)) return;
    open.add(name);
    for (const dependency of edges.get(name)?.keys() ?? []) if (wanted.has(dependency)) place(dependency, open);
    open.delete(name);
    placed.add(name);
    out.push(name);
  };
  for (const name of names) place(name, new Set());
  return out;
}

/** `names` in stop order: dependents before what they depend on (start order reversed). */
export function stopOrder(specs: Specs, names: readonly string[]): string[] {
  return startOrder(specs, names).reverse();
}

/** `names` in stop layers: every process of a layer may stop once the layers before it have. */
export function stopLayers(specs: Specs, names: readonly string[]): string[][] {
  const edges = orderingEdges(specs);
  const wanted = new Set(names);
  const depth = new Map<string, number>();
  // A process's depth is 1 + the deepest of its dependents: those stop first.
  const dependents = new Map<string, string[]>();
  for (const [from, out] of edges) {
    if (!wanted.has(from)) continue;
    for (const to of out.keys()) if (wanted.has(to)) dependents.set(to, [...(dependents.get(to) ?? []), from]);
  }
  const depthOf = (name: string, open: Set<string>): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (open.has(name)) return 0;
    open.add(name);
    const d = Math.max(-1, ...(dependents.get(name) ?? []).map((other) => depthOf(other, open))) + 1;
    open.delete(name);
    depth.set(name, d);
    return d;
  };
  const layers: string[][] = [];
  for (const name of names) (layers[depthOf(name, new Set())] ??= []).push(name);
  return layers.filter((layer) => layer !== undefined);
}

/**
 * A batch of specs (one apply, one reload) in start order, so that each one's dependencies exist
 * (and are on their way up) when it is created; the members of a dependency cycle — through
 * `others` too — are left out, and the cycle returned to be reported.
 */
export function batchStartOrder<S extends ProcessSpec>(batch: readonly S[], others: readonly ProcessSpec[] = []): { ordered: S[]; cycle?: string[] } {
  const names = new Set(batch.map((s) => s.name));
  const cycle = findCycle([...others.filter((spec) => !names.has(spec.name)), ...batch]);
  const refused = new Set(cycle);
  const byName = new Map(batch.map((spec) => [spec.name, spec]));
  const ordered = startOrder(batch, batch.map((s) => s.name).filter((name) => !refused.has(name))).map((name) => byName.get(name)!);
  return { ordered, ...(cycle !== undefined && { cycle }) };
}
