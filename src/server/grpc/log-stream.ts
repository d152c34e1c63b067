/**
 * StreamLogs' body: the last N lines, then (with follow) every new line, across rotations. Lines
 * are read only as fast as the client takes them: when the call's buffer is full, reading waits
 * for 'drain', so a slow reader never makes the daemon hold more than a chunk of its log.
 */
import { once } from 'node:events';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { followLines } from '../../runtime/logs/follow.js';
import { readLastLines } from '../../runtime/logs/tail.js';

async function send(call: ServerWritableStream<unknown, unknown>, stream: string, line: string, signal: AbortSignal) {
  if (call.write({ stream, line })) return;
  await once(call, 'drain', { signal });
}

export async function streamLog(
  call: ServerWritableStream<unknown, unknown>,
  file: string,
  stream: string,
  tailLines: number,
  follow: boolean,
  signal: AbortSignal,
): Promise<void> {
  for (const line of await readLastLines(file, tailLines)) await send(call, stream, line, signal);
  if (!follow) return;
  for await (const line of followLines(file, { fromEnd: true, signal })) await send(call, stream, line, signal);
}
