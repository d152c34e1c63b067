/**
 * StreamLogs' body: the last N lines, then (with follow) every new line, across rotations. Lines
 * are read only as fast as the client takes them: when the call's buffer is full, reading waits
 * for 'drain', so a slow reader never makes the daemon hold more than a chunk of its log.
 */
import { once } from 'node:events';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { followLines } from '../../runtime/logs/follow.js';
import { readTail } from '../../runtime/logs/tail.js';

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
  const tail = await readTail(file, tailLines);
  for (const line of tail.lines) await send(call, stream, line, signal);
  if (!follow) return;
  // From where the tail ended, not the end now: lines written while the tail was sent are not skipped.
  for await (const line of followLines(file, { fromEnd: true, fromOffset: tail.end, signal })) await send(call, stream, line, signal);
}
