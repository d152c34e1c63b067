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
import type { ProbeContext, ProbeResult } from './probe-attempt.js';

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
