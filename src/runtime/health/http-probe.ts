/**
 * HTTP(S) probe with Node's own client, so a check adds no dependency. Redirects are not followed
 * (a 3xx is itself healthy, as in kubelet), the body is drained only up to a small limit so a
 * streaming endpoint cannot hold the probe, and `agent: false` keeps no socket alive between probes.
 */
import http from 'node:http';
import https from 'node:https';
import { specDefaults } from '../../spec/defaults.js';
import type { HealthCheckSpec } from '../../spec/types.js';
import type { ProbeContext, ProbeResult } from './probe-attempt.js';
import { errorMessage, runAttempt } from './probe-attempt.js';

const bodyLimitBytes = 64 * 1024;

export function probeHttp(check: HealthCheckSpec, context: ProbeContext): Promise<ProbeResult> {
  return runAttempt(context, () => {
    const url = new URL(check.url ?? '');
    const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
    if (!client) throw new Error(`unsupported URL scheme '${url.protocol}'`);
    const request = client.request(url, { method: check.method ?? specDefaults.healthCheck.method, agent: false });
    const result = new Promise<ProbeResult>((resolve) => {
      request.on('error', (error) => resolve({ healthy: false, message: errorMessage(error) }));
      request.once('response', (response) => {
        const status = response.statusCode ?? 0;
        const healthy = check.expectedStatus === undefined ? status >= 200 && status < 400 : status === check.expectedStatus;
        const expected = check.expectedStatus === undefined ? '2xx/3xx' : String(check.expectedStatus);
        const answer = { healthy, message: healthy ? `HTTP ${status}` : `HTTP ${status} (expected ${expected})` };
        let read = 0;
        const done = () => {
          request.destroy();
          resolve(answer);
        };
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read >= bodyLimitBytes) done();
        });
        // The status is what counts: a body cut short after it changes nothing.
        response.on('error', done);
        response.once('end', done);
        response.once('close', done);
      });
    });
    request.end();
    return { result, cancel: () => void request.destroy() };
  });
}
