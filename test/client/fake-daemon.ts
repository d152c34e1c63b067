/**
 * A real grpc-js server with canned ProcessManager handlers, for client tests: on a Unix socket in
 * its own temp dir (and on 127.0.0.1:0 when asked), with grpc.health.v1 plugged in. Handlers a
 * test leaves out answer UNIMPLEMENTED, as grpc-js does for any missing method.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatusMap } from 'grpc-health-check';
import { wire } from '../../src/proto/load.js';
import { errorCodeMetadataKey } from '../../src/proto/status-codes.js';
import type { ErrorCode } from '../../src/errors.js';
import type { ProcessManagerHandlers } from '../../src/proto/generated/statevisor/v1/ProcessManager.js';
import type { Process } from '../../src/proto/generated/statevisor/v1/Process.js';

export interface FakeDaemon {
  readonly socket: string;
  /** "127.0.0.1:<port>" when started with tcp. */
  readonly address: string | undefined;
  readonly health: HealthImplementation;
  /** Every call that arrived, any service: its path and the authorization metadata it carried. */
  readonly arrivals: readonly Arrival[];
  stop(): Promise<void>;
}

export interface Arrival {
  path: string;
  authorization: grpc.MetadataValue[];
}

/** Records what every call brings, before any handler (health's included) sees it. */
function recordArrivals(arrivals: Arrival[]): grpc.ServerInterceptor {
  return (method, call) =>
    new grpc.ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, nextMetadata) {
            arrivals.push({ path: method.path, authorization: metadata.get('authorization') });
            nextMetadata(metadata);
          },
        });
      },
    });
}

export interface FakeDaemonOptions {
  tcp?: boolean;
  /** Serve TLS on the TCP listener with this certificate. */
  tls?: { cert: Buffer; key: Buffer };
  health?: ServingStatusMap;
}

function bind(server: grpc.Server, target: string, credentials = grpc.ServerCredentials.createInsecure()): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(target, credentials, (error, port) => (error ? reject(error) : resolve(port)));
  });
}

export async function startFakeDaemon(handlers: Partial<ProcessManagerHandlers>, options: FakeDaemonOptions = {}): Promise<FakeDaemon> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'statevisor-client-'));
  const socket = path.join(dir, 'statevisor.sock');
  const arrivals: Arrival[] = [];
  const server = new grpc.Server({ interceptors: [recordArrivals(arrivals)] });
  server.addService(wire.statevisor.v1.ProcessManager.service, handlers as grpc.UntypedServiceImplementation);
  const health = new HealthImplementation(options.health ?? { '': 'SERVING' });
  health.addToServer(server as unknown as Parameters<HealthImplementation['addToServer']>[0]);
  try {
    await bind(server, `unix:${socket}`);
    const tcpCredentials = options.tls
      ? grpc.ServerCredentials.createSsl(null, [{ cert_chain: options.tls.cert, private_key: options.tls.key }])
      : grpc.ServerCredentials.createInsecure();
    const port = options.tcp ? await bind(server, '127.0.0.1:0', tcpCredentials) : undefined;
    return {
      socket,
      address: port === undefined ? undefined : `127.0.0.1:${port}`,
      health,
      arrivals,
      async stop() {
        server.forceShutdown();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    server.forceShutdown();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A status with the daemon's error-code trailer, as the real server sends it. */
export function statusWithCode(code: grpc.status, details: string, errorCode?: ErrorCode): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  if (errorCode) metadata.set(errorCodeMetadataKey, errorCode);
  return { code, details, metadata };
}

/** A wire Process with every field set, to be overridden per test. */
export function wireProcess(overrides: Partial<Process> = {}): Process {
  return {
    id: '6f1c2b9e-0000-4000-8000-000000000001',
    name: 'web',
    state: 'PROCESS_STATE_RUNNING',
    phase: 'PHASE_SYNCING',
    pid: 4242,
    run_count: 2,
    restart_count: 1,
    health: 'HEALTH_STATUS_HEALTHY',
    created_at: { seconds: 1_700_000_000, nanos: 250_000_000 },
    started_at: { seconds: 1_700_000_100, nanos: 0 },
    uptime_ms: 12_345,
    last_error: '',
    command: '/usr/bin/env',
    args: ['sleep', '3600.123'],
    labels: { 'app.kubernetes.io/name': 'web', camelKey: 'x', snake_key: 'y' },
    ...overrides,
  };
}
