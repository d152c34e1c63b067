// Regenerates the Go client's stubs (clients/go/statevisorv1/) from the .proto with Debian's
// protoc, protoc-gen-go and protoc-gen-go-grpc (apt-get install -y protobuf-compiler
// protoc-gen-go protoc-gen-go-grpc). The Go package is named by M options here rather than by a
// go_package option in the .proto, which every other language's tooling reads too.
// `--out DIR` writes into DIR/statevisorv1/ instead (test/go/go-stubs.test.ts diffs the two).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outFlag = process.argv.indexOf('--out');
const out = outFlag === -1 ? path.join(root, 'clients/go') : path.resolve(process.argv[outFlag + 1]);
const proto = 'statevisor/v1/process_manager.proto';
const goModule = 'github.com/statevisor/statevisor/clients/go';
const options = `M${proto}=${goModule}/statevisorv1,module=${goModule}`;

mkdirSync(out, { recursive: true });
execFileSync(
  'protoc',
  [
    `--proto_path=${path.join(root, 'proto')}`,
    // The well-known types (timestamp, field_mask) as Debian's libprotobuf-dev installs them.
    '--proto_path=/usr/include',
    `--go_out=${out}`, `--go_opt=${options}`,
    `--go-grpc_out=${out}`, `--go-grpc_opt=${options}`,
    proto,
  ],
  { stdio: 'inherit' },
);
