/**
 * One Server-Sent Events stream to a browser (EventSource). Server-Sent Events rather than a
 * WebSocket: the console's updates flow one way, EventSource reconnects by itself, and no
 * library or upgrade handshake is needed; actions are ordinary POSTs.
 *
 * Memory stays bounded whatever the browser's pace. `latest(event, data)` is for state: while the
 * socket's buffer is full, only the newest message of each event name is kept, and sent on
 * 'drain' (the browser sees the state now, not every state in between). `send(event, data)` is
 * for lines that must all arrive (a log): it says when the socket is full, and the writer waits
 * for onDrain instead of the daemon buffering. A comment every 15 s finds dead connections.
 */
import type http from 'node:http';
import { securityHeaders } from './security-headers.js';

const heartbeatMs = 15_000;

export class SseStream {
  readonly #response: http.ServerResponse;
  readonly #pending = new Map<string, string | (() => string)>();
  readonly #heartbeat: NodeJS.Timeout;
  readonly #closeListeners: (() => void)[] = [];
  readonly #drainListeners: (() => void)[] = [];
  #blocked = false;
  #closed = false;

  constructor(response: http.ServerResponse) {
    this.#response = response;
    response.writeHead(200, {
      ...securityHeaders,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // Proxies (nginx) must pass each event through at once.
      'x-accel-buffering': 'no',
    });
    // The browser waits this long before reconnecting after the stream ends.
    this.#write('retry: 2000\n\n');
    response.on('drain', () => this.#drain());
    response.on('close', () => this.#close());
    this.#heartbeat = setInterval(() => this.#write(': ping\n\n'), heartbeatMs);
    this.#heartbeat.unref();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Whether the socket's buffer is full: what is written now waits in memory. */
  get blocked(): boolean {
    return this.#blocked;
  }

  /**
   * State: sent now, or (while the socket is full) kept as the newest of its name until it
   * drains. A function is called only when the message is sent, so a backlog is built once.
   */
  latest(event: string, data: string | (() => string)): void {
    if (this.#closed) return;
    if (this.#blocked) {
      this.#pending.set(event, data);
      return;
    }
    this.#write(frame(event, typeof data === 'string' ? data : data()));
  }

  /** One event now, whatever the buffer; false when the socket is full (wait for onDrain). */
  send(event: string, data: string): boolean {
    this.#write(frame(event, data));
    return !this.#blocked && !this.#closed;
  }

  onDrain(listener: () => void): void {
    if (!this.#closed) this.#drainListeners.push(listener);
  }

  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#closeListeners.push(listener);
  }

  end(): void {
    if (this.#closed) return;
    this.#response.end();
    this.#close();
  }

  #write(text: string): void {
    if (this.#closed) return;
    if (!this.#response.write(text)) this.#blocked = true;
  }

  #drain(): void {
    this.#blocked = false;
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const [event, data] of pending) this.#write(frame(event, typeof data === 'string' ? data : data()));
    if (this.#blocked) return;
    for (const listener of this.#drainListeners) listener();
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    this.#pending.clear();
    this.#drainListeners.length = 0;
    for (const listener of this.#closeListeners.splice(0)) listener();
  }
}

/** One event; data is JSON (no newlines), so it fits one `data:` line. */
function frame(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}
