// After `tsc`: removes from dist/ what no source produces any more (a deleted or renamed .ts),
// so that `node --test dist/test/` never runs a test whose source is gone. Everything else is
// left in place: unlike deleting dist/ before each build, a daemon started from dist/ keeps
// running while the project is rebuilt. `npm run clean` deletes dist/ on purpose.
//
// Usage: node scripts/prune-dist.mjs [projectRoot]   (default: the current directory)
import { existsSync, readdirSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] ?? '.');
const dist = path.join(root, 'dist');
const outputs = [/\.d\.ts\.map$/, /\.d\.ts$/, /\.js\.map$/, /\.js$/];
// Not compiled from a source here: written by scripts/vendor-console.mjs.
const vendored = path.join(dist, 'console', 'vendor');

function sourceOf(file) {
  const relative = path.relative(dist, file);
  const ending = outputs.find((pattern) => pattern.test(relative));
  if (ending === undefined) return undefined;
  return path.join(root, relative.replace(ending, '.ts'));
}

let removed = 0;
function prune(dir) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (full === vendored) continue;
    if (statSync(full).isDirectory()) {
      prune(full);
      if (readdirSync(full).length === 0) rmdirSync(full);
      continue;
    }
    const source = sourceOf(full);
    if (source !== undefined && !existsSync(source)) {
      unlinkSync(full);
      removed += 1;
    }
  }
}

if (existsSync(dist)) prune(dist);
if (removed > 0) process.stdout.write(`prune-dist: removed ${removed} outputs whose source is gone\n`);
