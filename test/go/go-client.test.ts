/**
 * The Go client (clients/go) against a real daemon, by `go test`. A GOPATH is laid out in a temp
 * dir with a copy of clients/go at its import path, beside Debian's /usr/share/gocode; the real
 * `statevisor daemon` listens on a temp socket and on a loopback TCP port with a token, in a
 * working directory that holds the Quick Start's app.py (it execs `sleep` with the marker); then
 * `go test -race ./...` runs the reference README's Quick Start and AppManager as written, and
 * every method and error helper, with STATEVISOR_SOCKET set. Every child a Go test starts
 * carries the marker: none may survive the daemon's stop. Under CI ($CI) the Go build cache is a
 * temp dir, so that the run pays, and shows, the cold build.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createClient } from '../../src/client/index.js';
import { startDaemonBinary, testEnv, untilAnswering } from '../helpers/daemon-binary.js';
import { debianGoPath, needsGo } from '../helpers/go-toolchain.js';
import { killMarked, newMarker, survivorsOf } from '../helpers/leaks.js';

/** dist/test/go/ → the checkout */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const importPath = 'github.com/statevisor/statevisor/clients/go';
const goTestTimeoutMs = 9 * 60_000;

interface Run {
  code: number | null;
  output: string;
  seconds: number;
}

/** `go test` in its own process group, killed whole at the deadline (go test starts the test binaries). */
function goTest(cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const started = Date.now();
  const child = spawn('go', ['test', '-race', '-p', '1', '-count=1', '-v', '-timeout', '8m', './...'], {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = setTimeout(() => {
    output += `\n[killed: go test ran past ${goTestTimeoutMs / 1000} s]\n`;
    process.kill(-child.pid!, 'SIGKILL');
  }, goTestTimeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(deadline);
      resolve({ code, output, seconds: Math.round((Date.now() - started) / 1000) });
    });
  });
}

test(
  "the Go client: the reference README's Quick Start and AppManager as written, every method and error helper, concurrent use under -race",
  { skip: needsGo, timeout: goTestTimeoutMs + 60_000 },
  async (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-go-'));
    const marker = newMarker();
    const gopath = path.join(dir, 'gopath');
    const packageDir = path.join(gopath, 'src', importPath);
    cpSync(path.join(root, 'clients', 'go'), packageDir, { recursive: true });
    const appDir = path.join(dir, 'app');
    mkdirSync(appDir);
    writeFileSync(path.join(appDir, 'app.py'), `import os\nos.execvp("sleep", ["sleep", "3600.${marker}"])\n`);
    const tokenFile = path.join(dir, 'token');
    writeFileSync(tokenFile, `${marker}-token\n`, { mode: 0o600 });
    const socket = path.join(dir, 'statevisor.sock');
    const goCache = process.env.CI ? path.join(dir, 'gocache') : undefined;

    const daemon = startDaemonBinary(
      ['--socket', socket, '--state-dir', path.join(dir, 'state'), '--tcp', '127.0.0.1:0', '--token-file', tokenFile],
      {},
      appDir,
    );
    const client = createClient({ socket });
    let run: Run | undefined;
    try {
      await untilAnswering(daemon, client);
      run = await goTest(packageDir, {
        ...testEnv(),
        GO111MODULE: 'off',
        GOPATH: `${gopath}:${debianGoPath}`,
        GOFLAGS: '',
        GOPROXY: 'off',
        ...(goCache && { GOCACHE: goCache }),
        STATEVISOR_SOCKET: socket,
        STATEVISOR_GO_TEST_MARKER: marker,
        STATEVISOR_GO_TEST_TOKEN_FILE: tokenFile,
      });
    } finally {
      client.close();
      daemon.child.kill('SIGTERM');
      await daemon.exited;
      const survivors = await survivorsOf(marker);
      killMarked(marker);
      rmSync(dir, { recursive: true, force: true });
      assert.deepEqual(survivors, [], `processes survived the daemon's stop: ${survivors.join(', ')}`);
    }

    const { code, output, seconds } = run;
    assert.equal(code, 0, `go test failed (exit ${code}):\n${output}`);
    const passed = output.match(/^\s*--- PASS: \S+/gm) ?? [];
    t.diagnostic(`go test -race: ${passed.length} tests passed in ${seconds} s, build included${goCache ? ' (cold build cache)' : ''}`);
    for (const name of ['TestQuickStartRunsAsWritten', 'TestAppManagerAsWritten', 'TestSafeForConcurrentUse', 'TestErrorHelpersReadTheDaemonsCodes']) {
      assert.match(output, new RegExp(`--- PASS: ${name} `), `${name} did not pass:\n${output}`);
    }
    assert.doesNotMatch(output, /--- (SKIP|FAIL)/, `a Go test was skipped or failed:\n${output}`);
  },
);
