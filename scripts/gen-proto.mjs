// Regenerates src/proto/generated from the .proto, then adds the `.js` extensions that
// proto-loader-gen-types leaves out and NodeNext module resolution requires.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const out = 'src/proto/generated';
rmSync(out, { recursive: true, force: true });
execFileSync(
  'npx',
  [
    'proto-loader-gen-types', '--keepCase', '--longs=Number', '--enums=String', '--defaults', '--oneofs',
    '--grpcLib=@grpc/grpc-js', '--includeDirs=proto', `--outDir=${out}`, 'statevisor/v1/process_manager.proto',
  ],
  { stdio: 'inherit' },
);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* files(full);
    else if (full.endsWith('.ts')) yield full;
  }
}
for (const file of files(out)) {
  const text = readFileSync(file, 'utf8').replace(/from '(\.{1,2}\/[^']+?)(?<!\.js)'/g, "from '$1.js'");
  writeFileSync(file, text);
}
