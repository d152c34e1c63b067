/**
 * The last lines of a log file, read backwards in chunks from the end, so `logs --lines 100` of a
 * 1 GB log reads a few kilobytes, not the file.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { StatevisorError } from '../../errors.js';

export interface TailOptions {
  /** Bytes per backward read. */
  readonly chunkBytes?: number;
  /**
   * Read at most this many bytes from the end. Lines that span more come back cut: the oldest
   * line returned then starts mid-line. Bounds memory when a log holds one giant line.
   */
  readonly maxBytes?: number;
}

const newline = 0x0a;

/**
 * The last `n` lines of `file`, oldest first, without their newlines. A last line without a newline
 * counts as a line; a missing file has none.
 */
export async function readLastLines(file: string, n: number, options: TailOptions = {}): Promise<string[]> {
  return (await readTail(file, n, options)).lines;
}

/** The last lines, and the file's size when they were read: where a follower picks up without a gap. */
export interface Tail {
  readonly lines: string[];
  readonly end: number;
}

/** readLastLines, and the offset its lines end at (0 for a missing file). */
export async function readTail(file: string, n: number, options: TailOptions = {}): Promise<Tail> {
  const { chunkBytes = 64 * 1024, maxBytes = 16 * 1024 * 1024 } = options;
  if (!(Number.isSafeInteger(n) && n >= 0)) {
    throw new StatevisorError('E_INVALID_ARGUMENT', `the number of lines must be a non-negative integer, not '${n}'`);
  }
  if (!(Number.isSafeInteger(chunkBytes) && chunkBytes > 0 && Number.isSafeInteger(maxBytes) && maxBytes > 0)) {
    throw new StatevisorError('E_INVALID_ARGUMENT', `chunkBytes and maxBytes must be positive integers`);
  }
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], end: 0 };
    throw error;
  }
  try {
    if (n === 0) return { lines: [], end: (await handle.stat()).size };
    // A file truncated in place between stat and read is shorter under us: start over.
    for (let attempt = 0; ; attempt += 1) {
      const tail = await lastLines(handle, n, chunkBytes, maxBytes);
      if (tail !== undefined) return tail;
      if (attempt === 2) return { lines: [], end: 0 };
    }
  } finally {
    await handle.close();
  }
}

/** Undefined when the file shrank while it was being read. */
async function lastLines(handle: FileHandle, n: number, chunkBytes: number, maxBytes: number): Promise<Tail | undefined> {
  const { size } = await handle.stat();
  const chunks: Buffer[] = [];
  let position = size; // file offset of chunks[0]
  let start = size; // file offset where the answer begins
  let found = 0;
  scan: while (position > 0 && size - position < maxBytes) {
    const length = Math.min(chunkBytes, position, maxBytes - (size - position));
    const chunk = Buffer.allocUnsafe(length);
    if (!(await readFully(handle, chunk, position - length))) return undefined;
    position -= length;
    chunks.unshift(chunk);
    start = position;
    // The file's final newline ends the last line; it does not begin another.
    let end = position + length === size && chunk[length - 1] === newline ? length - 1 : length;
    while (end > 0) {
      const at = chunk.lastIndexOf(newline, end - 1);
      if (at === -1) break;
      found += 1;
      if (found === n) {
        start = position + at + 1;
        break scan;
      }
      end = at;
    }
  }
  if (start === size) return { lines: [], end: size };
  const text = Buffer.concat(chunks).subarray(start - position).toString('utf8');
  return { lines: (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n'), end: size };
}

async function readFully(handle: FileHandle, buffer: Buffer, position: number): Promise<boolean> {
  for (let filled = 0; filled < buffer.length; ) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position + filled);
    if (bytesRead === 0) return false;
    filled += bytesRead;
  }
  return true;
}
