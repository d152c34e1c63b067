/**
 * The real `statevisor daemon` executable in its own process, for tests that must kill it
 * (SIGTERM, or SIGKILL to prove crash recovery) rather than stop it politely.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StatevisorClient } from '../../src/client/index.js';
import { waitUntil } from './leaks.js';
import { daemonNodeFlags } from '../../src/node-flags.js';

/** dist/test/helpers/daemon-binary.js → dist/src/bin/statevisor.js */
export const binary = fileURLToPath(new URL('../../src/bin/statevisor.js', import.meta.url));

export interface SpawnedDaemon {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Environment without $STATEVISOR_SOCKET or $STATEVISOR_ADDR and its credentials: a test never reaches a daemon it did not name. */
export function testEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['STATEVISOR_SOCKET', 'STATEVISOR_ADDR', 'STATEVISOR_TOKEN_FILE', 'STATEVISOR_TLS_CA', 'STATEVISOR_TLS_CERT', 'STATEVISOR_TLS_KEY']) {
    delete env[name];
  }
  delete env.NO_COLOR;
  return env;
}

/**
 * `extraEnv`: variables the daemon itself is started with (to prove what children do not get);
 * `cwd`: its working directory, which a child with a relative path in its arguments runs in.
 */
export function startDaemonBinary(args: string[], extraEnv: NodeJS.ProcessEnv = {}, cwd?: string): SpawnedDaemon {
  const env = { ...testEnv(), ...extraEnv };
  const child = spawn(process.execPath, [...daemonNodeFlags, binary, 'daemon', ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close', not 'exit': by then every line the daemon wrote has been read.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Resolves once the daemon answers Health as SERVING; fails at once, with its output, if it exited. */
export async function untilAnswering(daemon: SpawnedDaemon, client: Pick<StatevisorClient, 'health'>): Promise<void> {
  await waitUntil(
    'the daemon answers',
    async () => {
      if (daemon.child.exitCode !== null) throw new Error(`the daemon exited: ${daemon.output()}`);
      return (await client.health().catch(() => 'DOWN')) === 'SERVING';
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  );
}
