/**
 * The daemon under stress: the real `statevisor daemon` binary as a child process (so that a
 * crash is an exit we see, and a kill -9 is a real one), in a place of its own: one socket,
 * state dir, token and log file (level warn) in a dir, shared by every daemon started there (the
 * kill -9 stage starts one again and again on the same state dir).
 *
 * Also what a place's daemons spawned that still runs — found by the marker every child carries
 * in its environment (src/runtime/exec/survivors.ts), or by the run's marker argument for a
 * child that was started without that environment — and the zombies a daemon failed to reap.
 * The run settles a place after its stage, and kills it if interrupted (stage.ts).
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { delay } from '../bench/concurrency.js';
import { pidsWithMarker } from '../bench/marker.js';
import { createClient, type StatevisorClient } from '../src/client/index.js';
import { findMarked, type MarkedProcess } from '../src/runtime/exec/survivors.js';
import { WorkloadResources } from '../src/runtime/exec/workload-resources.js';
import { scanProcesses } from '../src/runtime/os/proc-stat.js';

/** dist/stress/daemon.js → dist/src/bin/statevisor.js */
const binary = fileURLToPath(new URL('../src/bin/statevisor.js', import.meta.url));
const startTimeoutMs = 30_000;

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
  /** On the Unix socket; closed when the daemon is stopped or killed through this object. */
  readonly client: StatevisorClient;
  /** How it ended, once it has. */
  exit(): Exit | undefined;
  /** Its log so far (JSON lines), with those of the place's earlier daemons. */
  log(): string;
  /** SIGTERM (it stops every process first), then SIGKILL after `timeoutMs`. */
  stop(timeoutMs: number): Promise<Exit>;
  /** kill -9, as a crash: resolves once it is gone. */
  kill9(): Promise<Exit>;
}

export interface DaemonOptions {
  /** A YAML/JSON file or directory of processes, for --config (and ReloadConfig). */
  readonly config?: string;
}

function signal(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
}

export class DaemonPlace {
  readonly socket: string;
  readonly stateDir: string;
  readonly logFile: string;
  readonly #tokenFile: string;
  readonly #token = `stress-${process.pid}-${Date.now()}`;
  #current: { kill(): void } | undefined;

  constructor(
    readonly dir: string,
    private readonly options: DaemonOptions = {},
  ) {
    this.socket = path.join(dir, 'daemon.sock');
    this.stateDir = path.join(dir, 'state');
    this.logFile = path.join(dir, 'daemon.log');
    this.#tokenFile = path.join(dir, 'token');
  }

  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** Starts a daemon and resolves once it answers GetStatus (which says where TCP listens). */
  async start(): Promise<DaemonUnderTest> {
    writeFileSync(this.#tokenFile, this.#token, { mode: 0o600 });
    const env = { ...process.env };
    delete env.STATEVISOR_SOCKET;
    const args = ['daemon', '--socket', this.socket, '--state-dir', this.stateDir, '--tcp', '127.0.0.1:0'];
    args.push('--token-file', this.#tokenFile, '--log-level', 'warn');
    if (this.options.config !== undefined) args.push('--config', this.options.config);
    const out = openSync(this.logFile, 'a');
    const child = spawn(process.execPath, [binary, ...args], { env, stdio: ['ignore', out, out] });
    closeSync(out);
    this.#current = { kill: () => child.kill('SIGKILL') };
    let exit: Exit | undefined;
    const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve((exit = { code, signal }))));
    const client = createClient({ socket: this.socket });
    let tcp: string | undefined;
    const deadline = Date.now() + startTimeoutMs;
    while (tcp === undefined) {
      if (exit !== undefined || Date.now() > deadline) {
        child.kill('SIGKILL');
        client.close();
        throw new Error(`the daemon did not start (${JSON.stringify(exit ?? `no answer in ${startTimeoutMs} ms`)}): ${this.log().slice(-2000)}`);
      }
      try {
        tcp = (await client.getStatus({ deadlineMs: 2_000 })).listeners.find((l) => l.kind === 'tcp')?.address ?? '';
      } catch {
        await delay(50);
      }
    }
    const ended = async (how: NodeJS.Signals, timeoutMs: number): Promise<Exit> => {
      client.close();
      if (exit !== undefined) return exit;
      child.kill(how);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    };
    return {
      pid: child.pid!,
      socket: this.socket,
      stateDir: this.stateDir,
      tcp: { address: tcp, token: this.#token },
      client,
      exit: () => exit,
      log: () => this.log(),
      stop: (timeoutMs) => ended('SIGTERM', timeoutMs),
      kill9: () => ended('SIGKILL', 0),
    };
  }

  /** Live processes spawned for this state dir, or started by one (the marker in their environment). */
  marked(): MarkedProcess[] {
    return findMarked(this.stateDir);
  }

  /** Live processes of this place: marked, or carrying the run's `marker` in their arguments. */
  leftovers(marker?: string): number[] {
    const pids = new Set(this.marked().map((m) => m.pid));
    if (marker !== undefined) for (const pid of pidsWithMarker(marker)) pids.add(pid);
    return [...pids];
  }

  /**
   * The live processes of this place once the kernel had a moment to finish a kill that reached
   * them: a process leaves its cgroup (so a stop is over) before it turns zombie, and a look in
   * between sees it running. `seen`: how many were alive at once; `left`: those still alive
   * after `settleMs`.
   */
  async survivors(marker?: string, settleMs = 2_000): Promise<{ seen: number; left: number[] }> {
    let left = this.leftovers(marker);
    const seen = left.length;
    const deadline = Date.now() + settleMs;
    while (left.length > 0 && Date.now() < deadline) {
      await delay(20);
      left = this.leftovers(marker);
    }
    return { seen, left };
  }

  /** Kills the live processes of this place (see leftovers) until none is left; returns those it found. */
  async killLeftovers(marker?: string): Promise<number[]> {
    const found = this.leftovers(marker);
    // Killed again while any is left: a daemon that is still dying may spawn one more.
    const deadline = Date.now() + 5_000;
    for (let left = found; left.length > 0 && Date.now() < deadline; left = this.leftovers(marker)) {
      signal(left);
      await delay(20);
    }
    return found;
  }

  /**
   * Once no daemon of the place runs: kills whatever they left and removes their cgroup subtree
   * (a daemon removes it when it stops; one that was SIGKILLed last cannot). Returns the pids
   * it found alive.
   */
  async cleanUp(marker?: string): Promise<number[]> {
    const found = await this.killLeftovers(marker);
    // This process is in the daemon's cgroups (it inherited them), so the subtree is found the same way.
    await (await WorkloadResources.detect(this.stateDir)).releaseAll().catch(() => undefined);
    return found;
  }

  /** A daemon of this place started otherwise (bench/daemon-process.js): killed with the place. */
  adopt(daemon: { kill(): void }): void {
    this.#current = daemon;
  }

  /** The run was interrupted: SIGKILL the daemon (a stop could take its grace periods), then what it left. */
  async kill(marker?: string): Promise<void> {
    this.#current?.kill();
    await this.cleanUp(marker);
  }
}

/** Children of `pid` that exited and were not reaped: what a supervisor must never leave. */
export function zombiesOf(pid: number): number[] {
  return scanProcesses()
    .filter((stat) => stat.ppid === pid && stat.state === 'Z')
    .map((stat) => stat.pid);
}
