/**
 * Unary RPC latency over a Unix socket, one call at a time: DescribeProcess on the daemon
 * against Echo on a bare grpc-js server, both measured in the same run in interleaved blocks so
 * that a noisy moment on the machine hits both alike. grpc.health.v1 Check on the daemon is
 * timed too: it shares the daemon's transport but not the handler, which tells the two apart.
 */
import { performance } from 'node:perf_hooks';
import type { StatevisorClient } from '../src/client/index.js';
import type { EchoClient } from './echo-service.js';

async function timed(samples: number[], call: () => Promise<unknown>): Promise<void> {
  const t0 = performance.now();
  await call();
  samples.push(performance.now() - t0);
}

export interface UnaryLatencies {
  readonly describe: number[];
  readonly echo: number[];
  readonly health: number[];
}

export async function unaryLatencies(
  client: StatevisorClient,
  echo: EchoClient,
  names: readonly string[],
  samples: number,
  { warmup = 200, block = 100 } = {},
): Promise<UnaryLatencies> {
  const result: UnaryLatencies = { describe: [], echo: [], health: [] };
  const describeName = (i: number): string => names[i % names.length]!;
  for (let i = 0; i < warmup; i++) {
    await client.describeProcess(describeName(i));
    await echo.echo(describeName(i));
    await client.health();
  }
  for (let done = 0; done < samples; done += block) {
    const size = Math.min(block, samples - done);
    for (let i = done; i < done + size; i++) await timed(result.describe, () => client.describeProcess(describeName(i)));
    for (let i = done; i < done + size; i++) await timed(result.echo, () => echo.echo(describeName(i)));
    for (let i = done; i < done + size; i++) await timed(result.health, () => client.health());
  }
  return result;
}

export async function listLatencies(client: StatevisorClient, samples: number, { warmup = 10 } = {}): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await client.listProcesses();
  const result: number[] = [];
  for (let i = 0; i < samples; i++) await timed(result, () => client.listProcesses());
  return result;
}
