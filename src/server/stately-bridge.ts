/**
 * The Stately bridge (`statevisor daemon --inspect-ws ws://HOST:PORT`): the whole actor system,
 * streamed to a Stately inspector relay (the WebSocket server of `@statelyai/inspect/server`, whose
 * page embeds https://stately.ai/inspect).
 *
 * The protocol is the official package's: its `createInspector` turns XState's inspection events
 * into Stately's (`@xstate.actor` with the machine's definition, `@xstate.event`,
 * `@xstate.snapshot`) and builds the replayed ones (`actor()`, `snapshot()`). Only the transport is
 * this file's: `createWebSocketInspector`'s adapter (0.7.2) reconnects after an error but never
 * after a clean close, replays no more than its last 200 events, and buffers without regard to
 * the socket; so this one
 *   - observes the actor system only while the relay is connected (nothing is paid while it is
 *     down, and nothing is buffered for it);
 *   - on every connection first sends each live actor (the supervisor, every process, every hook
 *     running) with its current snapshot, then live events — a relay that restarts shows the
 *     right state at once;
 *   - reconnects after any close or error, waiting 1 s doubling to 30 s;
 *   - stops writing when the socket holds more than 4 MB unsent (a relay that cannot keep up),
 *     counts what it drops, and once the socket has drained sends every live actor again.
 * Every event is redacted (charts/redact.ts) before it is serialised: contexts, events, a hook's
 * input — env values and secrets never leave the daemon.
 */
import { createInspector } from '@statelyai/inspect';
import type { Snapshot } from 'xstate';
import WebSocket from 'ws';
import { redacted } from '../charts/redact.js';
import { relayUrl } from './relay-url.js';
import type { Logger } from '../manager/logger.js';
import type { Inspector } from './inspector.js';

export interface StatelyBridgeOptions {
  readonly url: string;
  readonly inspector: Pick<Inspector, 'observe' | 'liveActors' | 'nameOf'>;
  readonly logger: Logger;
  readonly retryMs?: { readonly min: number; readonly max: number };
  /** Unsent bytes on the socket beyond which events are dropped (and the state resent later). */
  readonly maxBufferedBytes?: number;
}

/** What @statelyai/inspect sends events through (the package does not export its type). */
type Adapter = Parameters<typeof createInspector>[0];
type StatelyEvent = Parameters<Adapter['send']>[0];

const defaultRetryMs = { min: 1_000, max: 30_000 };
const defaultMaxBufferedBytes = 4 * 1024 * 1024;

export { relayUrl };

export class StatelyBridge {
  readonly #url: string;
  readonly #retryMs: { readonly min: number; readonly max: number };
  readonly #maxBufferedBytes: number;
  readonly #stately = createInspector(
    { send: (event) => this.#send(event) } satisfies Adapter,
    { serialize: (event: StatelyEvent) => this.#serialize(event) },
  );
  #socket: WebSocket | undefined;
  #observation: { close(): void } | undefined;
  #retry: NodeJS.Timeout | undefined;
  #delayMs: number;
  #dropped = 0;
  #stopped = false;
  #connections = 0;
  #failing = false;

  constructor(private readonly options: StatelyBridgeOptions) {
    this.#url = relayUrl(options.url);
    this.#retryMs = options.retryMs ?? defaultRetryMs;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? defaultMaxBufferedBytes;
    this.#delayMs = this.#retryMs.min;
  }

  start(): void {
    this.#stopped = false;
    this.#connect();
  }

  /** Whether the relay is connected (and the actor system observed for it). */
  get connected(): boolean {
    return this.#observation !== undefined;
  }

  /** How many times a connection was made. */
  get connections(): number {
    return this.#connections;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    this.#disconnect();
    const socket = this.#socket;
    if (socket === undefined || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.close();
      // A relay that never answers the close handshake: the socket is dropped after a second.
      setTimeout(() => {
        socket.terminate();
        resolve();
      }, 1_000).unref();
    });
  }

  #connect(): void {
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    socket.on('open', () => {
      this.#connections += 1;
      this.#delayMs = this.#retryMs.min;
      this.#failing = false;
      this.options.logger.info({ url: this.#url }, 'connected to the Stately inspector relay');
      this.#observation = this.options.inspector.observe((event) => this.#stately.inspect.next?.(event));
      this.#replay();
    });
    socket.on('error', (error) => {
      // Once per outage, not at every retry.
      if (!this.#failing) this.options.logger.warn({ url: this.#url, err: error.message }, 'the Stately inspector relay is unreachable; retrying');
      this.#failing = true;
    });
    socket.on('close', () => {
      if (this.#observation !== undefined) this.options.logger.info({ url: this.#url }, 'the Stately inspector relay went away; retrying');
      this.#disconnect();
      if (this.#socket === socket) this.#socket = undefined;
      if (this.#stopped) return;
      this.#retry = setTimeout(() => this.#connect(), this.#delayMs);
      this.#delayMs = Math.min(this.#delayMs * 2, this.#retryMs.max);
    });
  }

  #disconnect(): void {
    this.#observation?.close();
    this.#observation = undefined;
    this.#dropped = 0;
  }

  /**
   * Every live actor with its latest snapshot, parents first. They go through the package's own
   * converter, as XState's events would, and so in the same queue as the live events after them.
   */
  #replay(): void {
    const actors = this.options.inspector.liveActors();
    const rootId = actors[0]?.sessionId ?? '';
    for (const actorRef of actors) {
      this.#stately.inspect.next?.({ type: '@xstate.actor', actorRef, rootId });
      const snapshot = actorRef.getSnapshot() as Snapshot<unknown>;
      this.#stately.inspect.next?.({ type: '@xstate.snapshot', actorRef, rootId, snapshot, event: { type: 'statevisor.replay' } });
    }
  }

  /**
   * What leaves: the whole event redacted (not only its context: a hook's input carries the
   * process's config too), an actor named for a person (a process's name, not its id).
   */
  #serialize(event: StatelyEvent): StatelyEvent {
    const safe = redacted(event) as StatelyEvent & { name?: string };
    if (safe.type === '@xstate.actor' && typeof safe.name === 'string') safe.name = this.options.inspector.nameOf(safe.name);
    return safe;
  }

  #send(event: unknown): void {
    const socket = this.#socket;
    if (socket === undefined || socket.readyState !== WebSocket.OPEN || this.#observation === undefined) return;
    if (socket.bufferedAmount > this.#maxBufferedBytes) {
      this.#dropped += 1;
      return;
    }
    if (this.#dropped > 0) {
      this.options.logger.warn({ url: this.#url, dropped: this.#dropped }, 'the Stately inspector relay fell behind; sending the current state again');
      this.#dropped = 0;
      this.#replay();
    }
    socket.send(JSON.stringify(event));
  }
}
