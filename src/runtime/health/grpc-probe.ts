/**
 * grpc.health.v1.Health/Check, asked with the service definition grpc-health-check ships so the
 * probe speaks exactly what `grpc_health_probe` and load balancers speak. Each probe gets its own
 * channel with a local subchannel pool, closed when it ends, so no connection outlives a probe;
 * after a failure its sockets are destroyed too (see tracked-credentials.ts for why).
 */
import { Client, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { specDefaults } from '../../spec/defaults.js';
import type { HealthCheckSpec } from '../../spec/types.js';
import type { ProbeContext, ProbeResult } from './probe-attempt.js';
import { clip, runAttempt, timedOut } from './probe-attempt.js';
import { TrackedInsecureCredentials } from './tracked-credentials.js';

interface HealthCheckRequest {
  service: string;
}
interface HealthCheckResponse {
  status: string;
}

const check = healthService['Check'];

export function probeGrpc(spec: HealthCheckSpec, context: ProbeContext): Promise<ProbeResult> {
  return runAttempt(context, () => {
    if (!check) throw new Error('grpc-health-check has no Check method');
    const host = spec.host ?? specDefaults.healthCheck.host;
    const target = `${host.includes(':') ? `[${host}]` : host}:${spec.port ?? 0}`;
    const channelCredentials = new TrackedInsecureCredentials();
    const client = new Client(target, channelCredentials, { 'grpc.use_local_subchannel_pool': 1 });
    const release = (): void => {
      client.close();
      channelCredentials.destroySockets();
    };
    let call: ReturnType<Client['makeUnaryRequest']> | undefined;
    const result = new Promise<ProbeResult>((resolve) => {
      call = client.makeUnaryRequest<HealthCheckRequest, HealthCheckResponse>(
        check.path,
        check.requestSerialize as (value: HealthCheckRequest) => Buffer,
        check.responseDeserialize as (value: Buffer) => HealthCheckResponse,
        { service: spec.service ?? '' },
        new Metadata(),
        { deadline: Date.now() + context.timeoutMs },
        (error: ServiceError | null, response?: HealthCheckResponse) => {
          if (error) {
            release();
            return resolve(describeError(error, context.timeoutMs));
          }
          // A completed call means a live HTTP/2 session, which close() ends with a GOAWAY.
          client.close();
          const serving = response?.status ?? 'UNKNOWN';
          return resolve({ healthy: serving === 'SERVING', message: `grpc ${serving}` });
        },
      );
    });
    return {
      result,
      cancel: () => {
        call?.cancel();
        release();
      },
    };
  });
}

function describeError(error: ServiceError, timeoutMs: number): ProbeResult {
  if (error.code === status.DEADLINE_EXCEEDED) return timedOut(timeoutMs);
  const code = status[error.code] ?? String(error.code);
  // grpc-js ends some details with an empty "Resolution note: ".
  const details = error.details.replace(/\s*Resolution note:\s*$/, '');
  return { healthy: false, message: clip(`grpc ${code}: ${details}`) };
}
