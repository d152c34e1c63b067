/**
 * One channel per client, to the Unix socket (default) or to a TCP address. Over TCP the daemon
 * demands a bearer token or mTLS; the token travels as per-call metadata rather than as call
 * credentials because grpc-js refuses call credentials on an insecure channel, and a token over
 * plain TCP on a trusted network is a configuration the daemon allows.
 */
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { StatevisorError } from '../errors.js';
import { checkDeadlineMs } from './deadline.js';
import { deadlines } from '../deadlines.js';
import { defaultSocketPath } from '../paths.js';

export interface TlsOptions {
  /** Root certificates to trust; the system's when absent. */
  ca?: Buffer;
  /** Client certificate and key, for mTLS. */
  cert?: Buffer;
  key?: Buffer;
}

interface CommonOptions {
  /** Default deadline of unary calls, in ms (10 s). Infinity disables it. */
  deadlineMs?: number;
}

export interface SocketClientOptions extends CommonOptions {
  /** Unix socket path; defaultSocketPath() when absent. */
  socket?: string;
  address?: undefined;
  /** The socket's file mode is the access control there; tokens are for TCP. */
  token?: undefined;
}

export interface TcpClientOptions extends CommonOptions {
  /** "host:port" */
  address: string;
  /** Sent as `authorization: Bearer <token>` on every call. */
  token?: string;
  /** TLS (mTLS with cert and key); plaintext when absent. */
  tls?: TlsOptions;
  socket?: undefined;
}

export type ClientOptions = SocketClientOptions | TcpClientOptions;

export const defaultDeadlineMs = deadlines.callMs;

export interface Connection {
  readonly client: grpc.Client;
  /** The grpc target, e.g. "unix:/run/statevisor/statevisor.sock" or "10.0.0.5:7070". */
  readonly target: string;
  readonly defaultDeadlineMs: number;
  /** Fresh metadata for one call: calls share nothing mutable. */
  metadata(): grpc.Metadata;
  readonly closed: boolean;
  close(): void;
}

function invalid(message: string): StatevisorError {
  return new StatevisorError('E_INVALID_ARGUMENT', message);
}

function channelCredentials(tls: TlsOptions | undefined): grpc.ChannelCredentials {
  if (!tls) return grpc.credentials.createInsecure();
  try {
    return grpc.credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null);
  } catch (error) {
    throw new StatevisorError('E_INVALID_ARGUMENT', `tls: ${(error as Error).message}`, { cause: error });
  }
}

function bearerMetadata(token: string | undefined): () => grpc.Metadata {
  if (token === undefined) return () => new grpc.Metadata();
  // Token files usually end with a newline, which is not a valid header value.
  const trimmed = token.trim();
  if (trimmed === '') throw invalid('token is empty');
  const value = `Bearer ${trimmed}`;
  const metadata = (): grpc.Metadata => {
    const fresh = new grpc.Metadata();
    fresh.set('authorization', value);
    return fresh;
  };
  try {
    // Once now, so that a token that is no valid header value fails here, not on every call.
    metadata();
  } catch (error) {
    throw new StatevisorError('E_INVALID_ARGUMENT', `token: ${(error as Error).message}`, { cause: error });
  }
  return metadata;
}

export function openConnection(options: ClientOptions): Connection {
  const deadlineMs = options.deadlineMs === undefined ? defaultDeadlineMs : checkDeadlineMs(options.deadlineMs);
  if (options.address !== undefined && options.socket !== undefined) {
    throw invalid('give either socket or address, not both');
  }
  if (options.address !== undefined) {
    if (!/^.+:\d+$/.test(options.address)) throw invalid(`address must be "host:port", got "${options.address}"`);
    const client = new grpc.Client(options.address, channelCredentials(options.tls));
    return connection(client, options.address, deadlineMs, bearerMetadata(options.token));
  }
  // Resolved now, so that a later chdir of the caller cannot move the socket.
  const target = `unix:${path.resolve(options.socket ?? defaultSocketPath())}`;
  const client = new grpc.Client(target, grpc.credentials.createInsecure());
  return connection(client, target, deadlineMs, bearerMetadata(undefined));
}

function connection(client: grpc.Client, target: string, defaultDeadlineMs: number, metadata: () => grpc.Metadata): Connection {
  let closed = false;
  return {
    client,
    target,
    defaultDeadlineMs,
    metadata,
    get closed() {
      return closed;
    },
    close() {
      closed = true;
      client.close();
    },
  };
}
