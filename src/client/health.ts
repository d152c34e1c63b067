/**
 * grpc.health.v1.Health/Check over the client's own channel (and with its token), using the
 * service definition that grpc-health-check ships, so the daemon's health is asked exactly as
 * a load balancer or `grpc_health_probe` would ask it.
 */
import { service as healthService } from 'grpc-health-check';
import type { Connection } from './connect.js';
import { unary, type CallOptions, type RpcMethod } from './rpc.js';
import type { ServingStatus } from './types.js';

interface HealthCheckRequest {
  service: string;
}
interface HealthCheckResponse {
  status: ServingStatus;
}

const check = healthService['Check'] as unknown as RpcMethod<HealthCheckRequest, HealthCheckResponse>;

/** '' asks about the server as a whole. An unknown service is E_NOT_FOUND. */
export async function checkHealth(connection: Connection, service: string, options?: CallOptions): Promise<ServingStatus> {
  const response = await unary(connection, check, { service }, options);
  return response.status;
}
