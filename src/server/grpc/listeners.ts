/**
 * The daemon's gRPC listeners. Each is its own grpc-js Server carrying the same services
 * (ProcessManager, grpc.health.v1, reflection): the Unix socket is protected by its file mode
 * (0600), the TCP listener by a bearer token checked in a server interceptor, before any
 * handler — health and reflection included — sees the call, and/or by a client certificate
 * checked in the TLS handshake (tcp-auth.ts says which).
 */
import { chmodSync, existsSync, mkdirSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import {
  Metadata,
  ResponderBuilder,
  Server,
  ServerCredentials,
  ServerInterceptingCall,
  ServerListenerBuilder,
  status,
  type ServerInterceptor,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { StatevisorError } from '../../errors.js';
import { errorCodeMetadataKey } from '../../proto/status-codes.js';
import { serviceName, wire } from '../../proto/load.js';
import { addLazyReflection } from './lazy-reflection.js';
import { withTolerantDeserializers } from './malformed-request.js';
import type { TcpAuth } from './tcp-auth.js';
import { withEncodedResponses } from './encoded-message.js';

export interface Listener {
  readonly kind: 'unix' | 'tcp';
  readonly address: string;
  readonly server: Server;
  readonly health: HealthImplementation;
}

function bind(server: Server, address: string, credentials = ServerCredentials.createInsecure()): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(address, credentials, (error, port) =>
      error ? reject(error) : resolve(port),
    ),
  );
}

/**
 * Decode failures reach the handlers (as INVALID_ARGUMENT) instead of grpc-js's INTERNAL; answers
 * already encoded (EncodedMessage) are sent as they are.
 */
const processManagerService = withEncodedResponses(withTolerantDeserializers(wire.statevisor.v1.ProcessManager.service));

function addServices(server: Server, handlers: UntypedServiceImplementation): HealthImplementation {
  server.addService(processManagerService, handlers);
  const health = new HealthImplementation({ '': 'SERVING', [serviceName]: 'SERVING' });
  health.addToServer(server);
  addLazyReflection(server);
  return health;
}

/** Is a daemon answering on this socket? A refused or missing socket is stale. */
function socketIsLive(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

export async function listenUnix(socketPath: string, handlers: UntypedServiceImplementation): Promise<Listener> {
  const dir = path.dirname(socketPath);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (existsSync(socketPath)) {
    if (await socketIsLive(socketPath)) {
      throw new StatevisorError('E_UNAVAILABLE', `another statevisor daemon is already listening on ${socketPath}`);
    }
    unlinkSync(socketPath);
  }
  const server = new Server();
  const health = addServices(server, handlers);
  // The socket is created inside bindAsync: a restrictive umask leaves no moment at a wider mode.
  const previous = process.umask(0o177);
  try {
    await bind(server, `unix:${socketPath}`);
  } finally {
    process.umask(previous);
  }
  chmodSync(socketPath, 0o600);
  return { kind: 'unix', address: socketPath, server, health };
}

function tokenMatches(header: string | undefined, token: Buffer): boolean {
  if (header === undefined || !header.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length).trim());
  return given.length === token.length && timingSafeEqual(given, token);
}

/** Rejects every call whose `authorization` metadata is not `Bearer <token>`. */
export function bearerTokenInterceptor(token: string): ServerInterceptor {
  const expected = Buffer.from(token);
  return (_method, call) => {
    const listener = new ServerListenerBuilder()
      .withOnReceiveMetadata((metadata, next) => {
        const header = metadata.get('authorization')[0];
        if (tokenMatches(typeof header === 'string' ? header : undefined, expected)) {
          next(metadata);
          return;
        }
        const trailer = new Metadata();
        trailer.set(errorCodeMetadataKey, 'E_UNAUTHENTICATED');
        call.sendStatus({
          code: status.UNAUTHENTICATED,
          details: 'a valid bearer token is required on the TCP listener',
          metadata: trailer,
        });
      })
      .build();
    const responder = new ResponderBuilder().withStart((next) => next(listener)).build();
    return new ServerInterceptingCall(call, responder);
  };
}

export async function listenTcp(address: string, auth: TcpAuth, handlers: UntypedServiceImplementation): Promise<Listener> {
  const server = new Server({ interceptors: auth.token === undefined ? [] : [bearerTokenInterceptor(auth.token)] });
  const health = addServices(server, handlers);
  const port = await bind(server, address, auth.certificates?.credentials());
  const host = address.slice(0, address.lastIndexOf(':'));
  return { kind: 'tcp', address: `${host}:${port}`, server, health };
}

export function closeListener(listener: Listener): Promise<void> {
  listener.health.setStatus('', 'NOT_SERVING');
  return new Promise((resolve) => {
    listener.server.tryShutdown(() => resolve());
    // Streams that never end (watchers) must not hold the daemon's exit forever.
    setTimeout(() => {
      listener.server.forceShutdown();
      resolve();
    }, 2_000).unref();
  });
}
