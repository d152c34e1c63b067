/**
 * StreamLogs' body: the last N lines, then (with follow) every new line, across rotations. Lines
 * are read only as fast as the client takes them: when the call's buffer is full, reading waits
 * for 'drain', so a slow reader never makes the daemon hold more than a chunk of its log.
 *
 * A log path that the file system refuses to read as a file (a directory, a path through a file,
 * no permission) is the spec's problem, not the daemon's: FAILED_PRECONDITION naming the file.
 */
import { once } from 'node:events';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { StatevisorError } from '../../errors.js';
import { followLines } from '../../runtime/logs/follow.js';
import { readTail } from '../../runtime/logs/tail.js';

async function send(call: ServerWritableStream<unknown, unknown>, stream: string, line: string, signal: AbortSignal) {
  if (call.write({ stream, line })) return;
  await once(call, 'drain', { signal });
}

/** A file-system refusal (it carries an errno code and the call that failed) as the caller's error. */
function unreadable(error: unknown, file: string, stream: string): unknown {
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof syscall !== 'string') return error;
  return new StatevisorError('E_INVALID_STATE', `the ${stream} log ${file} cannot be read (${code}): check logs.${stream}`, { cause: error });
}

export async function streamLog(
  call: ServerWritableStream<unknown, unknown>,
  file: string,
  stream: string,
  tailLines: number,
  follow: boolean,
  signal: AbortSignal,
): Promise<void> {
  try {
    const tail = await readTail(file, tailLines);
    for (const line of tail.lines) await send(call, stream, line, signal);
    if (!follow) return;
    // From where the tail ended, not the end now: lines written while the tail was sent are not skipped.
    for await (const line of followLines(file, { fromEnd: true, fromOffset: tail.end, signal })) await send(call, stream, line, signal);
  } catch (error) {
    throw unreadable(error, file, stream);
  }
}
