/**
 * StreamLogs' body (and a console page's log tail): the last N lines of one stream or both, then
 * (with follow) every new line, across rotations. Lines are read only as fast as the client
 * takes them: when the call's buffer is full, reading waits for 'drain', so a slow reader never
 * makes the daemon hold more than a chunk of each log.
 *
 * A log path that the file system refuses to read as a file (a directory, a path through a file,
 * no permission) is the spec's problem, not the daemon's: FAILED_PRECONDITION naming the file.
 */
import { once, type EventEmitter } from 'node:events';
import { stat } from 'node:fs/promises';
import { StatevisorError } from '../../errors.js';
import { followLines } from '../../runtime/logs/follow.js';
import { readTail } from '../../runtime/logs/tail.js';

/**
 * Where the lines go: a StreamLogs call, or a console page's event stream. write() returning
 * false means full: the next line waits for 'drain'.
 */
export interface LineSink extends EventEmitter {
  write(message: { stream: string; line: string }): boolean;
}

async function send(call: LineSink, stream: string, line: string, signal: AbortSignal) {
  if (call.write({ stream, line })) return;
  await once(call, 'drain', { signal });
}

/** A file-system refusal (it carries an errno code and the call that failed) as the caller's error. */
function unreadable(error: unknown, file: string, stream: string): unknown {
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof syscall !== 'string') return error;
  return new StatevisorError('E_INVALID_STATE', `the ${stream} log ${file} cannot be read (${code}): check logs.${stream}`, { cause: error });
}

/** One stream of a process and the file it is written to. */
export interface LogSource {
  readonly stream: string;
  readonly file: string;
}

/** When the file was last written; a file not made yet sorts first. */
async function modifiedAt(file: string): Promise<number> {
  return (await stat(file).catch(() => undefined))?.mtimeMs ?? -Infinity;
}

/**
 * The last `tailLines` of each source, then (with follow) every new line of any of them. The files
 * carry no timestamps, so lines of two streams cannot be put in order line by line: each tail is
 * sent as a block, the file written least recently first (the newest output comes last, as in a
 * terminal); followed lines go out in the order they are read, from whichever file grew.
 */
export async function streamLogs(
  call: LineSink,
  sources: readonly LogSource[],
  tailLines: number,
  follow: boolean,
  signal: AbortSignal,
): Promise<void> {
  const read = async (source: LogSource) => {
    try {
      return { source, modified: await modifiedAt(source.file), tail: await readTail(source.file, tailLines) };
    } catch (error) {
      throw unreadable(error, source.file, source.stream);
    }
  };
  // Stable: a tie keeps the order asked for (stdout before stderr).
  const tails = (await Promise.all(sources.map(read))).sort((a, b) => a.modified - b.modified);
  for (const { source, tail } of tails) {
    for (const line of tail.lines) await send(call, source.stream, line, signal);
  }
  // A reader gone during the tail: the abort below would never come, and the followers would run on.
  if (!follow || signal.aborted) return;
  // One follower failing ends the others too: the call is over.
  const followers = new AbortController();
  const end = () => followers.abort(signal.reason);
  signal.addEventListener('abort', end, { once: true });
  try {
    await Promise.all(
      tails.map(async ({ source, tail }) => {
        try {
          // From where the tail ended, not the end now: lines written while the tail was sent are not skipped.
          for await (const line of followLines(source.file, { fromEnd: true, fromOffset: tail.end, signal: followers.signal })) {
            await send(call, source.stream, line, signal);
          }
        } catch (error) {
          followers.abort(error);
          throw unreadable(error, source.file, source.stream);
        }
      }),
    );
  } finally {
    signal.removeEventListener('abort', end);
    followers.abort();
  }
}
