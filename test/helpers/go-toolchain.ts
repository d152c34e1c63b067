/**
 * What the Go client's tests (test/go/) need: Debian's Go and the Go sources of gRPC and
 * protobuf it packages (the Go module proxy is out of reach here: clients/go builds in GOPATH
 * mode against /usr/share/gocode), and protoc with its two Go plugins to regenerate the stubs.
 * Each is false where the need is met, else the skip reason with the apt-get line that meets it;
 * `.ci/run` installs both, so CI always runs them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const debianGoPath = '/usr/share/gocode';

/**
 * golang-github-golang-protobuf-1-5-dev by name: grpc's dependency is met by 1-3 too, whose
 * codec cannot read the messages protoc-gen-go generates now. gcc: `go test -race` needs cgo.
 */
export const goInstallCommand =
  'apt-get install -y golang-go golang-google-grpc-dev golang-google-protobuf-dev golang-github-golang-protobuf-1-5-dev gcc';

export const protocInstallCommand = 'apt-get install -y protobuf-compiler libprotobuf-dev protoc-gen-go protoc-gen-go-grpc';

function runs(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

function missingGo(): string | undefined {
  if (!runs('go', ['version'])) return 'no `go` on PATH';
  if (!runs('gcc', ['--version'])) return 'no `gcc` on PATH, which `go test -race` needs';
  const sources = {
    grpc: `${debianGoPath}/src/google.golang.org/grpc/clientconn.go`,
    protobuf: `${debianGoPath}/src/google.golang.org/protobuf/proto/decode.go`,
    // Only in the 1.4+ line of github.com/golang/protobuf (1-5-dev), which wraps APIv2 messages.
    'golang/protobuf 1.5': `${debianGoPath}/src/github.com/golang/protobuf/proto/registry.go`,
  };
  const absent = Object.entries(sources).filter(([, file]) => !existsSync(file));
  return absent.length > 0 ? `no Go sources of ${absent.map(([name]) => name).join(', ')} in ${debianGoPath}` : undefined;
}

const goMissing = missingGo();
/** Go and the packaged Go sources of gRPC and protobuf. */
export const needsGo: string | false = goMissing ? `needs Go (${goMissing}): ${goInstallCommand}` : false;

const protocMissing = ['protoc', 'protoc-gen-go', 'protoc-gen-go-grpc'].filter((tool) => !runs('which', [tool]));
// The well-known types the .proto imports, as libprotobuf-dev installs them (scripts/gen-go.mjs).
if (!existsSync('/usr/include/google/protobuf/timestamp.proto')) protocMissing.push('/usr/include/google/protobuf');
/** protoc, its Go plugins and the well-known .proto files, to regenerate clients/go/statevisorv1. */
export const needsProtocGo: string | false =
  protocMissing.length > 0 ? `needs ${protocMissing.join(', ')} (to regenerate the Go stubs): ${protocInstallCommand}` : false;
