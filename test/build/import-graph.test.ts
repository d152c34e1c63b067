/**
 * `npm run check:cycles`: no import cycle in src/, between files or between layers, and each layer
 * imports only those below it. manager/ and runtime/ used to import each other (the chart's hooks
 * for a syncer lived in runtime/, the syncer contract in manager/), which the compiled JavaScript
 * hid: the imports back were `import type`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface LayerEdge {
  from: string;
  to: string;
  imports: string[];
}
interface ImportGraph {
  layerOf(file: string): string;
  cyclesOf(graph: Record<string, string[]>): string[][];
  layerViolations(
    files: Record<string, string[]>,
    allowed?: Record<string, string[]>,
    shared?: string[],
  ): { violations: LayerEdge[]; unknown: string[] };
}

const scripts = new URL('../../../scripts/', import.meta.url);
const graph = (await import(new URL('import-graph.mjs', scripts).href)) as ImportGraph;

test('a file belongs to its directory of src/, a file at the root to itself', () => {
  assert.equal(graph.layerOf('server/grpc/handlers.ts'), 'server');
  assert.equal(graph.layerOf('errors.ts'), 'errors');
});

test('cycles are found whatever their length, and a graph without one has none', () => {
  assert.deepEqual(graph.cyclesOf({ a: ['b'], b: ['c'], c: [] }), []);
  assert.deepEqual(graph.cyclesOf({ a: ['b'], b: ['a'] }), [['a', 'b']]);
  assert.deepEqual(graph.cyclesOf({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] }), [['a', 'b', 'c']]);
  assert.deepEqual(graph.cyclesOf({ a: ['a'] }), [['a']]);
  assert.deepEqual(graph.cyclesOf({ a: ['b'], b: ['a'], c: ['d'], d: ['c'] }), [['a', 'b'], ['c', 'd']]);
});

test('an import up the layers is a violation naming the files; one down, or of a shared module, is not', () => {
  const allowed = { server: ['manager'], manager: [] };
  const { violations, unknown } = graph.layerViolations(
    {
      'server/a.ts': ['manager/b.ts', 'errors.ts'],
      'manager/b.ts': ['server/c.ts', 'errors.ts'],
      'server/c.ts': [],
      'errors.ts': [],
      'wire/d.ts': [],
    },
    allowed,
    ['errors'],
  );
  assert.deepEqual(violations, [{ from: 'manager', to: 'server', imports: ['manager/b.ts -> server/c.ts'] }]);
  assert.deepEqual(unknown, ['wire'], 'a directory in no layer is reported, not ignored');
});

test('src/ has no import cycle and no import up the layers (npm run check:cycles)', { timeout: 60_000 }, () => {
  const out = execFileSync(process.execPath, [fileURLToPath(new URL('check-cycles.mjs', scripts))], { encoding: 'utf8' });
  assert.match(out, /, 0 problems$/m);
});
