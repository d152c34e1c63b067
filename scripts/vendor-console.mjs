// After `tsc`: puts the console's chart renderer in the package. Mermaid's browser bundle
// (node_modules/mermaid/dist/mermaid.min.js, self-contained: every dependency inlined) is written
// gzipped to dist/console/vendor/, beside Mermaid's licence, so that the daemon serves it from the
// installed package with no CDN, and the `mermaid` package (154 MB installed with its dependency
// tree) stays a devDependency: the published package carries ~1 MB instead.
//
// Usage: node scripts/vendor-console.mjs [projectRoot]   (default: the current directory)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync, constants } from 'node:zlib';

const root = path.resolve(process.argv[2] ?? '.');
const require = createRequire(path.join(root, 'package.json'));
const mermaidDir = path.dirname(require.resolve('mermaid/package.json'));
const { version } = JSON.parse(readFileSync(path.join(mermaidDir, 'package.json'), 'utf8'));
const bundle = readFileSync(path.join(mermaidDir, 'dist', 'mermaid.min.js'));
const out = path.join(root, 'dist', 'console', 'vendor');
mkdirSync(out, { recursive: true });
const gzipped = gzipSync(bundle, { level: constants.Z_BEST_COMPRESSION });
writeFileSync(path.join(out, 'mermaid.min.js.gz'), gzipped);
writeFileSync(path.join(out, 'MERMAID-LICENSE'), readFileSync(path.join(mermaidDir, 'LICENSE')));
writeFileSync(path.join(out, 'vendor.json'), `${JSON.stringify({ mermaid: { version, bytes: bundle.length, gzipBytes: gzipped.length } }, null, 2)}\n`);
