/** Specs and contexts for the probe tests: only the fields a probe reads vary between tests. */
import { once } from 'node:events';
import net from 'node:net';
import type { HealthCheckSpec } from '../../../src/spec/types.js';
import type { ProbeContext } from '../../../src/runtime/health/index.js';

export function checkSpec(fields: Partial<HealthCheckSpec> & Pick<HealthCheckSpec, 'type'>): HealthCheckSpec {
  return {
    intervalMs: 10_000,
    timeoutMs: 5_000,
    failureThreshold: 3,
    successThreshold: 1,
    startPeriodMs: 0,
    restartAfter: 0,
    ...fields,
  };
}

/** A context whose signal nobody aborts, unless the test passes its own. */
export function probeContext(timeoutMs = 5_000, signal: AbortSignal = new AbortController().signal): ProbeContext {
  return { signal, timeoutMs };
}

/** Generous: these bound "did it hang?", never "was it fast?". */
export const hangLimitMs = 5_000;

export async function settlesWithin<T>(promise: Promise<T>, limitMs = hangLimitMs): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${limitMs} ms`)), limitMs);
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** A loopback port that was just bound and released: nothing listens on it. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}
