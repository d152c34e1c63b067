/**
 * The daemon under stress: the real `statevisor daemon` binary as a child process (so that a
 * crash is an exit we see, not a test runner's problem), on a socket and state dir of its own,
 * its log (level warn) in a file beside them. Also: which processes it spawned are still alive,
 * by the marker argument or by the state dir every child carries in its environment.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '../src/client/index.js';

/** dist/stress/daemon.js → dist/src/bin/statevisor.js */
const binary = fileURLToPath(new URL('../src/bin/statevisor.js', import.meta.url));

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface DaemonUnderTest {
  readonly pid: number;
  readonly socket: string;
  readonly stateDir: string;
  /** HOST:PORT of its TCP listener, and the token it wants there. */
  readonly tcp: { readonly address: string; readonly token: string };
  /** How it ended, once it has. */
  exit(): Exit | undefined;
  /** Its log so far (JSON lines). */
  log(): string;
  /** SIGTERM, then SIGKILL after `timeoutMs`. */
  stop(timeoutMs: number): Promise<Exit>;
  /** SIGKILL at once (the run was interrupted). */
  kill(): void;
}

export interface DaemonOptions {
  /** A YAML/JSON file or directory of processes, for --config (and ReloadConfig). */
  readonly config?: string;
}

export async function startDaemonUnderTest(dir: string, options: DaemonOptions = {}): Promise<DaemonUnderTest> {
  const socket = path.join(dir, 'daemon.sock');
  const stateDir = path.join(dir, 'state');
  const logFile = path.join(dir, 'daemon.log');
  const tokenFile = path.join(dir, 'token');
  const token = `stress-${process.pid}-${Date.now()}`;
  writeFileSync(tokenFile, token, { mode: 0o600 });
  const env = { ...process.env };
  delete env.STATEVISOR_SOCKET;
  const out = openSync(logFile, 'a');
  const args = ['daemon', '--socket', socket, '--state-dir', stateDir, '--tcp', '127.0.0.1:0', '--token-file', tokenFile, '--log-level', 'warn'];
  if (options.config !== undefined) args.push('--config', options.config);
  const child = spawn(process.execPath, [binary, ...args], { env, stdio: ['ignore', out, out] });
  closeSync(out);
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve((exit = { code, signal }))));
  const log = () => readFileSync(logFile, 'utf8');

  const client = createClient({ socket });
  let tcp: string | undefined;
  try {
    const deadline = Date.now() + 30_000;
    while (tcp === undefined) {
      if (exit !== undefined) throw new Error(`the daemon exited while starting (${JSON.stringify(exit)}): ${log().slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`the daemon did not answer within 30 s: ${log().slice(-2000)}`);
      try {
        tcp = (await client.getStatus({ deadlineMs: 2_000 })).listeners.find((l) => l.kind === 'tcp')?.address;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    client.close();
  }
  return {
    pid: child.pid!,
    socket,
    stateDir,
    tcp: { address: tcp, token },
    exit: () => exit,
    log,
    kill: () => child.kill('SIGKILL'),
    async stop(timeoutMs) {
      if (exit !== undefined) return exit;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const ended = await exited;
      clearTimeout(timer);
      return ended;
    },
  };
}

/** Live (non-zombie) processes carrying `marker` in their arguments or `stateDir` as their statevisor state dir. */
export function spawnedAlive(marker: string, stateDir: string): number[] {
  const environMark = `STATEVISOR_STATE_DIR=${stateDir}\0`;
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const marked = readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker);
      if (marked || readFileSync(`/proc/${name}/environ`, 'utf8').includes(environMark)) found.push(Number(name));
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return found;
}
