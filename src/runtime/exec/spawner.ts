/**
 * The daemon's side of the spawner (spawner-process.ts): forks it at the first spawn, sends it
 * spawn requests over the IPC channel, and turns its replies into handles whose exits it reports.
 *
 * Lifetimes: the daemon's stop ends the spawner (`stop()`: the channel is closed, the spawner
 * exits). A spawner that ends otherwise (killed, crashed) is noticed by its 'exit': every child it
 * had is watched from then on as a survivor is, by pid and start time (spawned-handle.ts), not
 * taken for lost; a request it had not answered fails with SpawnerLost (its child may have
 * started: unreported-spawn.ts); and the next spawn forks a new spawner. Forking it again at once
 * instead would spin if it cannot start at all.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SpawnedHandle } from './spawned-handle.js';
import type { SpawnerReply, SpawnRequest } from './spawner-protocol.js';

/** dist/src/runtime/exec/spawner.js → its sibling spawner-process.js. */
export const spawnerEntry = fileURLToPath(new URL('./spawner-process.js', import.meta.url));

/** A request the spawner did not answer before it ended: its child may run, unreported. */
export class SpawnerLost extends Error {
  constructor(
    message: string,
    /** When the request was sent (performance.now()): its child, if any, started after. */
    readonly sentAt: number,
  ) {
    super(message);
  }
}

export interface SpawnerOptions {
  /** Named in the spawner's arguments, so that a person or a test can tell whose it is. */
  readonly stateDir: string;
  readonly now: () => number;
  /** The spawner ended unasked; `orphans` children of it are watched as survivors from now on. */
  readonly onLost?: (why: string, orphans: number) => void;
}

interface Pending {
  readonly sentAt: number;
  readonly resolve: (handle: SpawnedHandle) => void;
  readonly reject: (error: Error) => void;
}

/** How long `stop()` waits for the spawner to go once its channel is closed, before SIGKILL. */
const stopGraceMs = 5_000;

export class Spawner {
  #process: ChildProcess | undefined;
  readonly #pending = new Map<number, Pending>();
  /** The spawner's live children, by pid: its exit messages name them so. */
  readonly #children = new Map<number, SpawnedHandle>();
  #seq = 0;
  #held = false;
  #stopping: Promise<void> | undefined;

  constructor(private readonly options: SpawnerOptions) {}

  /** The running spawner's pid, if one runs. */
  get pid(): number | undefined {
    return this.#process?.pid;
  }

  /** Spawns through the spawner; rejects with Node's error (message and code) as spawn() would. */
  spawn(request: Omit<SpawnRequest, 'op' | 'seq'>): Promise<SpawnedHandle> {
    if (this.#stopping !== undefined) return Promise.reject(new Error('the daemon is stopping: no spawn'));
    const spawner = this.#process ?? this.#start();
    const seq = ++this.#seq;
    return new Promise((resolve, reject) => {
      this.#pending.set(seq, { sentAt: performance.now(), resolve, reject });
      this.#holdLoop();
      spawner.send({ op: 'spawn', seq, ...request } satisfies SpawnRequest);
    });
  }

  /** Ends the spawner (its children keep running: the daemon stops them first, or leaves them). */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      const spawner = this.#process;
      if (spawner === undefined || spawner.exitCode !== null || spawner.signalCode !== null) return;
      const gone = new Promise((resolve) => spawner.once('exit', resolve));
      // The spawner exits on 'disconnect' (spawner-process.ts).
      if (spawner.connected) spawner.disconnect();
      const timer = setTimeout(() => spawner.kill('SIGKILL'), stopGraceMs);
      await gone;
      clearTimeout(timer);
    })();
    return this.#stopping;
  }

  #start(): ChildProcess {
    const spawner = fork(spawnerEntry, ['--for', this.options.stateDir], {
      // Not the daemon's flags (--inspect, a test runner's), nor its environment: each request
      // carries the child's.
      execArgv: [],
      env: {},
      cwd: '/',
      // Its own session: a Ctrl-C meant for a daemon in the foreground is not the spawner's.
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
    });
    this.#process = spawner;
    spawner.on('message', (reply: SpawnerReply) => this.#receive(reply));
    // A failed send or kill; the 'exit' that follows says the rest.
    spawner.on('error', () => undefined);
    spawner.once('exit', (code, signal) => this.#lost(spawner, signal === null ? `exited with code ${code}` : `was killed by ${signal}`));
    spawner.unref();
    spawner.channel?.unref();
    return spawner;
  }

  /**
   * The channel keeps the daemon's loop alive while the spawner has work for it (a request in
   * flight, a child whose exit is to come), and not otherwise: an idle spawner never holds a
   * process open that has nothing else left to do.
   */
  #holdLoop(): void {
    const busy = this.#pending.size > 0 || this.#children.size > 0;
    if (busy === this.#held) return;
    this.#held = busy;
    // Both handles: once the channel closes, only the process handle brings the 'exit' that says so.
    if (busy) {
      this.#process?.ref();
      this.#process?.channel?.ref();
    } else {
      this.#process?.unref();
      this.#process?.channel?.unref();
    }
  }

  #receive(reply: SpawnerReply): void {
    if (reply.op === 'exit') {
      const handle = this.#children.get(reply.pid);
      this.#children.delete(reply.pid);
      handle?.ended(reply.code, reply.signal);
      this.#holdLoop();
      return;
    }
    const pending = this.#pending.get(reply.seq);
    if (pending === undefined) return;
    this.#pending.delete(reply.seq);
    if (reply.op === 'failed') {
      this.#holdLoop();
      pending.reject(Object.assign(new Error(reply.message), reply.code === undefined ? {} : { code: reply.code }));
      return;
    }
    const now = this.options.now;
    const handle = new SpawnedHandle(reply.pid, reply.startTime, now(), now);
    this.#children.set(reply.pid, handle);
    this.#holdLoop();
    pending.resolve(handle);
  }

  #lost(spawner: ChildProcess, how: string): void {
    if (this.#process !== spawner) return;
    this.#process = undefined;
    this.#held = false;
    const pid = spawner.pid ?? 0;
    for (const pending of this.#pending.values()) {
      pending.reject(new SpawnerLost(`the spawner (pid ${pid}) ${how} before it answered`, pending.sentAt));
    }
    this.#pending.clear();
    const orphans = [...this.#children.values()];
    this.#children.clear();
    for (const handle of orphans) handle.orphaned();
    if (this.#stopping === undefined) this.options.onLost?.(`the spawner (pid ${pid}) ${how}`, orphans.length);
  }
}
