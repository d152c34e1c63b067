/** TCP probe: a completed handshake is the whole test, for services that speak no HTTP or gRPC. */
import net from 'node:net';
import { specDefaults } from '../../spec/defaults.js';
import type { HealthCheckSpec } from '../../spec/types.js';
import type { ProbeContext, ProbeResult } from './probe-attempt.js';
import { errorMessage, runAttempt } from './probe-attempt.js';

export function probeTcp(check: HealthCheckSpec, context: ProbeContext): Promise<ProbeResult> {
  return runAttempt(context, () => {
    const host = check.host ?? specDefaults.healthCheck.host;
    const port = check.port ?? 0;
    const socket = net.connect(port, host);
    const result = new Promise<ProbeResult>((resolve) => {
      socket.once('connect', () => {
        socket.destroy();
        resolve({ healthy: true, message: `connected to ${host}:${port}` });
      });
      socket.on('error', (error) => resolve({ healthy: false, message: errorMessage(error) }));
    });
    return { result, cancel: () => void socket.destroy() };
  });
}
