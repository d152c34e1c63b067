/**
 * The listening sockets of every process (socket activation), by process id: bound when the
 * process is created or restored, so that clients can connect before it runs; kept through its
 * runs, restarts and stops; closed when it is deleted or the daemon stops (a unix socket's file
 * goes with it). The exec runtime asks for them at each start (`socketsFor`) to pass them on.
 *
 * An address belongs to one process: a second process claiming it is refused, naming the owner.
 * Claims are kept apart from what is bound, so that a socket that could not be bound at restore
 * (its address still held by a survivor of the previous daemon, which inherited the socket) is
 * still claimed, and is bound at the next start instead.
 */
import { StatevisorError } from '../errors.js';
import type { Logger } from '../manager/logger.js';
import { bindSockets, socketKey, type HeldSocket } from '../runtime/exec/socket-activation.js';
import type { ProcessSpec, SocketSpec } from '../spec/types.js';

interface Claim {
  readonly sockets: readonly SocketSpec[];
  /** Bound sockets by address key; a claimed address may be missing until it can be bound. */
  readonly bound: Map<string, HeldSocket>;
}

export class ActivationSockets {
  readonly #claims = new Map<string, Claim>();
  /** One bind at a time per process: a restore's bind and the first start's must not race. */
  readonly #queue = new Map<string, Promise<unknown>>();

  constructor(
    /** A process's name, to name the owner of an address in a refusal. */
    private readonly nameOf: (id: string) => string,
    private readonly bind: (sockets: readonly SocketSpec[]) => Promise<HeldSocket[]> = bindSockets,
  ) {}

  /**
   * The sockets of `spec` become process `id`'s: those it already holds are kept (a client
   * waiting on them is not dropped), new ones are bound, those no longer in the spec are closed.
   * All or nothing: a refusal or a failed bind changes nothing.
   */
  claim(id: string, spec: ProcessSpec): Promise<void> {
    const previous = this.#claims.get(id);
    if (spec.sockets.length === 0 && previous === undefined) return Promise.resolve();
    const keys = spec.sockets.map((socket) => socketKey(socket) ?? socket.listen);
    keys.forEach((key, index) => this.refuseTaken(id, key, spec.sockets[index]!, index));
    // Claimed at once, before the bind: a second process asking for the address meanwhile is refused by name.
    this.#claims.set(id, { sockets: spec.sockets, bound: previous?.bound ?? new Map() });
    return this.serial(id, async () => {
      const claimed = this.#claims.get(id);
      if (claimed === undefined) return; // released (deleted) before its turn
      const current = claimed.bound;
      let fresh: HeldSocket[];
      try {
        fresh = await this.bind(spec.sockets.filter((_, index) => !current.has(keys[index]!)));
      } catch (error) {
        if (previous === undefined) this.#claims.delete(id);
        else this.#claims.set(id, { sockets: previous.sockets, bound: current });
        throw error;
      }
      if (!this.#claims.has(id)) {
        for (const held of fresh) held.close();
        return;
      }
      const bound = new Map<string, HeldSocket>();
      spec.sockets.forEach((socket, index) => {
        const key = keys[index]!;
        const held = current.get(key) ?? fresh.find((f) => f.listen === socket.listen)!;
        // A renamed socket keeps its descriptor: only LISTEN_FDNAMES changes.
        bound.set(key, { listen: held.listen, fd: held.fd, name: socket.name, close: () => held.close() });
      });
      for (const [key, held] of current) if (!bound.has(key)) held.close();
      if (spec.sockets.length === 0) this.#claims.delete(id);
      else this.#claims.set(id, { sockets: spec.sockets, bound });
    });
  }

  /**
   * At daemon start: claims the sockets of a restored process, binding what can be bound. An
   * address still held (by a survivor about to be adopted) is left for the next start to bind.
   */
  async restore(id: string, spec: ProcessSpec, logger: Logger): Promise<void> {
    try {
      await this.claim(id, spec);
    } catch (error) {
      this.#claims.set(id, { sockets: spec.sockets, bound: new Map() });
      logger.warn({ err: (error as Error).message }, 'sockets not bound at restore: bound at the next start');
    }
  }

  /** The sockets of a run about to start, in the spec's order (fd 3, 4, …); binds any not yet bound. */
  async socketsFor(id: string, spec: ProcessSpec): Promise<readonly HeldSocket[]> {
    // After any bind still under way for this process (a restore, an update).
    await this.serial(id, async () => undefined);
    const claim = this.#claims.get(id);
    const missing = claim === undefined || spec.sockets.some((socket) => !claim.bound.has(socketKey(socket) ?? socket.listen));
    if (missing) await this.claim(id, spec);
    const { bound } = this.#claims.get(id)!;
    return spec.sockets.map((socket) => bound.get(socketKey(socket) ?? socket.listen)!);
  }

  /** What process `id` holds now, for Describe. */
  held(id: string): readonly HeldSocket[] {
    return [...(this.#claims.get(id)?.bound.values() ?? [])];
  }

  /** The process is deleted: its sockets are closed, and connecting to them is refused again. */
  release(id: string): void {
    const claim = this.#claims.get(id);
    this.#claims.delete(id);
    this.#queue.delete(id);
    for (const held of claim?.bound.values() ?? []) held.close();
  }

  /** The daemon stops. */
  releaseAll(): void {
    for (const id of [...this.#claims.keys()]) this.release(id);
  }

  private serial<T>(id: string, work: () => Promise<T>): Promise<T> {
    const before = this.#queue.get(id) ?? Promise.resolve();
    const run = before.then(work, work);
    this.#queue.set(id, run.catch(() => undefined));
    return run;
  }

  private refuseTaken(id: string, key: string, socket: SocketSpec, index: number): void {
    for (const [other, claim] of this.#claims) {
      if (other === id) continue;
      if (claim.sockets.some((theirs) => (socketKey(theirs) ?? theirs.listen) === key)) {
        throw new StatevisorError(
          'E_ALREADY_EXISTS',
          `sockets[${index}].listen: ${socket.listen} is already a socket of process '${this.nameOf(other)}' (an address belongs to one process)`,
        );
      }
    }
  }
}
