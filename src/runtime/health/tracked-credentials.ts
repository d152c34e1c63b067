/**
 * Insecure channel credentials that remember the sockets their channel opened. grpc-js 1.14
 * closes a channel's connections on close() only once their HTTP/2 handshake finished: against a
 * server that accepts TCP and never answers (a hung process — what probes exist to find) the
 * attempt stays open after close(), and one more would pile up every probe. Destroying what the
 * channel opened is the probe's only handle on them.
 */
import type { Socket } from 'node:net';
import { ChannelCredentials, credentials } from '@grpc/grpc-js';

type SecureConnector = ReturnType<ChannelCredentials['_createSecureConnector']>;

export class TrackedInsecureCredentials extends ChannelCredentials {
  readonly #inner = credentials.createInsecure();
  readonly #sockets = new Set<Socket>();
  #closed = false;

  override _isSecure(): boolean {
    return false;
  }

  override _equals(other: ChannelCredentials): boolean {
    return other === this;
  }

  override _createSecureConnector(...args: Parameters<ChannelCredentials['_createSecureConnector']>): SecureConnector {
    const inner = this.#inner._createSecureConnector(...args);
    return {
      connect: (socket) => {
        // A TCP connect that completes after the probe ended must not survive it either.
        if (this.#closed) {
          socket.destroy();
          return Promise.reject(new Error('the probe has ended'));
        }
        this.#sockets.add(socket);
        socket.once('close', () => this.#sockets.delete(socket));
        return inner.connect(socket);
      },
      waitForReady: () => inner.waitForReady(),
      getCallCredentials: () => inner.getCallCredentials(),
      destroy: () => inner.destroy(),
    };
  }

  /** Destroys every connection still open, and any opened from now on; call after closing the channel. */
  destroySockets(): void {
    this.#closed = true;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }
}
