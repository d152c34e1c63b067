/**
 * The daemon of the escape and kill -9 stages: the real `statevisor daemon` binary as a child
 * process (`node dist/src/bin/statevisor.js daemon --socket S --state-dir D`), so that it can be
 * SIGKILLed and started again on the same state dir; its log (level warn) goes to a file beside
 * them. Also what it spawned that still runs, found by the marker every child carries in its
 * environment (src/runtime/exec/survivors.ts), and the zombies it failed to reap.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type StatevisorClient } from '../src/client/index.js';
import { findMarked, type MarkedProcess } from '../src/runtime/exec/survivors.js';
import { WorkloadResources } from '../src/runtime/exec/workload-resources.js';
import { scanProcesses } from '../src/runtime/os/proc-stat.js';

/** dist/stress/daemon-child.js → dist/src/bin/statevisor.js */
const binary = fileURLToPath(new URL('../src/bin/statevisor.js', import.meta.url));

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface DaemonChild {
  readonly pid: number;
  readonly client: StatevisorClient;
  /** How it ended, once it has. */
  exit(): Exit | undefined;
  /** kill -9, as a crash: resolves once it is gone. */
  kill9(): Promise<Exit>;
  /** SIGTERM (it stops every process first), then SIGKILL after `timeoutMs`. */
  stop(timeoutMs: number): Promise<Exit>;
}

/** One socket, state dir and log file in `dir`, shared by every daemon started there. */
export class DaemonPlace {
  readonly socket: string;
  readonly stateDir: string;
  readonly logFile: string;

  constructor(readonly dir: string) {
    this.socket = path.join(dir, 'daemon.sock');
    this.stateDir = path.join(dir, 'state');
    this.logFile = path.join(dir, 'daemon.log');
  }

  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** Starts a daemon and resolves once it answers its health check. */
  async start(): Promise<DaemonChild> {
    const env = { ...process.env };
    delete env.STATEVISOR_SOCKET;
    const out = openSync(this.logFile, 'a');
    const args = ['daemon', '--socket', this.socket, '--state-dir', this.stateDir, '--log-level', 'warn'];
    const child = spawn(process.execPath, [binary, ...args], { env, stdio: ['ignore', out, out] });
    closeSync(out);
    let exit: Exit | undefined;
    const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve((exit = { code, signal }))));
    const client = createClient({ socket: this.socket });
    const deadline = Date.now() + 30_000;
    while ((await client.health('', { deadlineMs: 1_000 }).catch(() => 'DOWN')) !== 'SERVING') {
      if (exit !== undefined || Date.now() > deadline) {
        child.kill('SIGKILL');
        client.close();
        throw new Error(`the daemon did not start (${JSON.stringify(exit ?? 'no answer in 30 s')}): ${this.log().slice(-2000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return {
      pid: child.pid!,
      client,
      exit: () => exit,
      kill9: async () => {
        client.close();
        child.kill('SIGKILL');
        return exited;
      },
      stop: async (timeoutMs) => {
        client.close();
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        const result = await exited;
        clearTimeout(timer);
        return result;
      },
    };
  }

  /** Live processes spawned for this state dir, or started by one (the marker in their environment). */
  marked(): MarkedProcess[] {
    return findMarked(this.stateDir);
  }

  /**
   * Kills whatever this state dir's daemons left and removes their cgroup subtree (a daemon
   * removes it when it stops; one that was SIGKILLed last cannot). Returns the pids killed.
   */
  async cleanUp(): Promise<number[]> {
    const left = this.marked().map((m) => m.pid);
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
    const deadline = Date.now() + 5_000;
    while (this.marked().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    // This process is in the daemon's cgroups (it inherited them), so the subtree is found the same way.
    await (await WorkloadResources.detect(this.stateDir)).releaseAll().catch(() => undefined);
    return left;
  }
}

/** Children of `pid` that exited and were not reaped: what a supervisor must never leave. */
export function zombiesOf(pid: number): number[] {
  return scanProcesses()
    .filter((stat) => stat.ppid === pid && stat.state === 'Z')
    .map((stat) => stat.pid);
}

/** mulberry32: a small seeded PRNG, so that a run can be repeated with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a stage reports: each figure with its threshold where it has one (JSON-friendly). */
export interface StressFigure {
  readonly figure: string;
  readonly value: number;
  readonly threshold?: { readonly max: number } | { readonly min: number };
  readonly [detail: string]: unknown;
}

export interface StageResult {
  readonly stage: string;
  readonly seed: number;
  readonly figures: StressFigure[];
}
