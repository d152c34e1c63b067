/**
 * One entry point per health check, whatever its type, so the chart's probe actor never branches
 * on transport. A probe reports an unhealthy target as a result, never as a rejection: the only
 * rejection is an AbortError, which means "nobody is waiting for this answer any more".
 */
import type { HealthCheckSpec } from '../../spec/types.js';
import { probeExec } from './exec-probe.js';
import { probeGrpc } from './grpc-probe.js';
import { probeHttp } from './http-probe.js';
import { probeTcp } from './tcp-probe.js';

export interface ProbeResult {
  readonly healthy: boolean;
  /** A short human reason: "HTTP 503 (expected 2xx/3xx)", "grpc SERVING", "timed out after 1000 ms". */
  readonly message: string;
}

export interface ProbeContext {
  /** Aborted when the caller gives up: everything the probe started is released at once. */
  readonly signal: AbortSignal;
  /** Enforced by the probe itself too, so that a forgetful caller still gets an answer. */
  readonly timeoutMs: number;
  /** exec probes: the environment (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** exec probes: the working directory. */
  readonly cwd?: string;
  /** exec probes: run as this user and group (the process's own), not as the daemon. */
  readonly uid?: number;
  readonly gid?: number;
}

export function runProbe(check: HealthCheckSpec, context: ProbeContext): Promise<ProbeResult> {
  switch (check.type) {
    case 'http':
      return probeHttp(check, context);
    case 'tcp':
      return probeTcp(check, context);
    case 'exec':
      return probeExec(check, context);
    case 'grpc':
      return probeGrpc(check, context);
  }
}
