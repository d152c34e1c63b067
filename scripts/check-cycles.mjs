// `npm run check:cycles`: src/ has no import cycle, between files or between layers, and every
// layer imports only the layers DESIGN.md puts below it (scripts/import-graph.mjs has the table).
// The graph is read from the TypeScript sources by madge, `import type` included; exit 1 and one
// line per finding otherwise.
//
// Usage: node scripts/check-cycles.mjs [src-dir]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import madge from 'madge';
import { cyclesOf, layerGraph, layerOf, layerViolations } from './import-graph.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.resolve(process.argv[2] ?? path.join(root, 'src'));

const files = (
  await madge(src, { fileExtensions: ['ts'], tsConfig: path.join(root, 'tsconfig.json'), excludeRegExp: [/\.d\.ts$/] })
).obj();
const problems = [];
for (const cycle of cyclesOf(files)) problems.push(`file cycle: ${cycle.join(' <-> ')}`);
const layers = layerGraph(files);
for (const cycle of cyclesOf(layers.graph)) {
  const imports = layers.edges.filter((e) => cycle.includes(e.from) && cycle.includes(e.to)).flatMap((e) => e.imports);
  problems.push(`layer cycle: ${cycle.join(' <-> ')} (${imports.join(', ')})`);
}
const { violations, unknown } = layerViolations(files);
for (const v of violations) problems.push(`${v.from} may not import ${v.to}: ${v.imports.join(', ')}`);
for (const layer of unknown) problems.push(`src/${layer} is in no layer: add it to allowedImports in scripts/import-graph.mjs`);

for (const line of problems) process.stderr.write(`check:cycles: ${line}\n`);
const layerCount = new Set(Object.keys(files).map(layerOf)).size;
process.stdout.write(`check:cycles: ${Object.keys(files).length} files in ${layerCount} layers, ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
process.exitCode = problems.length === 0 ? 0 : 1;
