/**
 * A chart's state value as the leaf paths a person reads: `{ syncing: { sync: 'awaitingUpdate',
 * health: 'off' } }` is `syncing.sync.awaitingUpdate` and `syncing.health.off` (one leaf per
 * region of a parallel state). Mermaid lights these paths; an inspection step goes from some to
 * others.
 */

/** The leaf paths of a state value (XState's `snapshot.value`), in the order of its keys. */
export function leafPaths(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix === '' ? value : `${prefix}.${value}`];
  if (typeof value !== 'object' || value === null) return prefix === '' ? [] : [prefix];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return prefix === '' ? [] : [prefix];
  return entries.flatMap(([key, child]) => leafPaths(child, prefix === '' ? key : `${prefix}.${key}`));
}

/**
 * Leaf paths in one short phrase: one path as it is; several under their common prefix,
 * `syncing.{sync.awaitingUpdate, health.off}`.
 */
export function pathsPhrase(paths: readonly string[]): string {
  if (paths.length === 0) return '∅';
  if (paths.length === 1) return paths[0]!;
  const split = paths.map((path) => path.split('.'));
  let common = 0;
  while (split.every((parts) => parts.length > common + 1 && parts[common] === split[0]![common])) common += 1;
  const rest = split.map((parts) => parts.slice(common).join('.')).join(', ');
  return common === 0 ? rest : `${split[0]!.slice(0, common).join('.')}.{${rest}}`;
}
