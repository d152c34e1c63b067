/**
 * `logs -f`: the lines appended to a log file, as an async generator.
 *
 * Reading is driven by the consumer: bytes are read, one bounded chunk at a time, only when the
 * consumer pulls and the previous chunk's lines are spent. A slow consumer (a gRPC stream under
 * back-pressure) therefore makes the generator read later, never buffer more; what it holds is at
 * most one chunk plus one partial line, and a partial line longer than `maxLineBytes` is handed
 * out in pieces. fs.watch only raises a flag; a poll covers file systems where inotify is absent
 * or out of watches, and notices a replaced file (a watch follows the inode, not the name).
 *
 * Rotation: copy-and-truncate shows as a file shorter than our offset, and we restart at 0. That is
 * missed only if the writer refills the file past our old offset between two looks (as with
 * `tail -F`); a look follows every inotify event, so that takes a writer filling maxBytes at once.
 * A file replaced under the same name (rename, or delete and create) is read to its end, then
 * the new one is opened and read from its start.
 */
import { watch, type FSWatcher } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { StatevisorError } from '../../errors.js';

export interface FollowOptions {
  /** Start at the current end (only new lines) rather than at the start of the file. */
  readonly fromEnd: boolean;
  /** Aborting ends the generator: it returns, and releases its watcher, timer and descriptor. */
  readonly signal: AbortSignal;
  /** Longest wait between looks at the file when no watch event arrives. */
  readonly pollMs?: number;
  /** Bytes per read. */
  readonly chunkBytes?: number;
  /** A line without its newline yet is handed out in pieces of this size once it grows past it. */
  readonly maxLineBytes?: number;
  /** Filled in as the generator runs: for tests and metrics. */
  readonly probe?: FollowProbe;
}

/** What a follower holds and has done. */
export interface FollowProbe {
  /** Bytes held while suspended at a yield: the unread rest of a chunk plus a partial line. */
  heldBytes: number;
  peakHeldBytes: number;
  bytesRead: number;
  /** Times the file was found shorter than the offset (copy-and-truncate) and read from 0. */
  truncations: number;
  /** Times the name was found to point at another file, which was then opened. */
  reopens: number;
}

export function newFollowProbe(): FollowProbe {
  return { heldBytes: 0, peakHeldBytes: 0, bytesRead: 0, truncations: 0, reopens: 0 };
}

const newline = 0x0a;

export async function* followLines(file: string, options: FollowOptions): AsyncGenerator<string, void, undefined> {
  const { fromEnd, signal, pollMs = 200, chunkBytes = 64 * 1024, maxLineBytes = 64 * 1024 } = options;
  for (const [name, value] of [['pollMs', pollMs], ['chunkBytes', chunkBytes], ['maxLineBytes', maxLineBytes]] as const) {
    if (!(Number.isSafeInteger(value) && value > 0)) {
      throw new StatevisorError('E_INVALID_ARGUMENT', `${name} must be a positive integer, not '${value}'`);
    }
  }
  const probe = options.probe ?? newFollowProbe();
  const hold = (bytes: number): void => {
    probe.heldBytes = bytes;
    probe.peakHeldBytes = Math.max(probe.peakHeldBytes, bytes);
  };
  const buffer = Buffer.allocUnsafe(chunkBytes); // reused by every read
  const waker = new Waker(pollMs, signal);
  let handle: FileHandle | undefined;
  let identity = '';
  let offset = 0;
  let partial = Buffer.alloc(0);
  let firstOpen = true;
  try {
    while (!signal.aborted) {
      if (handle === undefined) {
        const opened = await openFile(file);
        if (opened === undefined) {
          // A file that appears later was written after we started: all of it is new.
          firstOpen = false;
          await waker.wait();
          continue;
        }
        ({ handle, identity } = opened);
        offset = firstOpen && fromEnd ? opened.size : 0;
        firstOpen = false;
        waker.watch(file);
        continue;
      }

      const { bytesRead } = await handle.read(buffer, 0, chunkBytes, offset);
      if (bytesRead > 0) {
        offset += bytesRead;
        probe.bytesRead += bytesRead;
        const chunk = buffer.subarray(0, bytesRead);
        let start = 0;
        for (let at = chunk.indexOf(newline); at !== -1; at = chunk.indexOf(newline, start)) {
          const line = partial.length > 0 ? Buffer.concat([partial, chunk.subarray(start, at)]) : chunk.subarray(start, at);
          partial = Buffer.alloc(0);
          start = at + 1;
          for (const piece of pieces(line, maxLineBytes)) {
            if (signal.aborted) return;
            hold(bytesRead - start + piece.length);
            yield piece.toString('utf8');
          }
        }
        // Copied: `buffer` is overwritten by the next read.
        partial = Buffer.concat([partial, chunk.subarray(start)]);
        while (partial.length > maxLineBytes) {
          const cut = utf8Boundary(partial, maxLineBytes);
          const piece = partial.subarray(0, cut);
          partial = Buffer.from(partial.subarray(cut));
          if (signal.aborted) return;
          hold(partial.length + piece.length);
          yield piece.toString('utf8');
        }
        hold(partial.length);
        continue;
      }

      // At the end of what is there: has the file been truncated or replaced?
      if ((await handle.stat()).size < offset) {
        probe.truncations += 1;
        offset = 0;
        // The rest of this line went to the rotated copy: hand out the start we have.
        if (partial.length > 0) {
          const line = partial.toString('utf8');
          partial = Buffer.alloc(0);
          hold(0);
          if (signal.aborted) return;
          yield line;
        }
        continue;
      }
      if ((await identityOf(file)) ?? identity !== identity) {
        probe.reopens += 1;
        await handle.close();
        handle = undefined;
        if (partial.length > 0) {
          const line = partial.toString('utf8');
          partial = Buffer.alloc(0);
          hold(0);
          if (signal.aborted) return;
          yield line;
        }
        continue;
      }
      await waker.wait();
    }
  } finally {
    waker.close();
    await handle?.close();
    hold(0);
  }
}

/** `line` in pieces of at most `max` bytes, cut between characters; an empty line is one piece. */
function* pieces(line: Buffer, max: number): Generator<Buffer> {
  let rest = line;
  while (rest.length > max) {
    const cut = utf8Boundary(rest, max);
    yield rest.subarray(0, cut);
    rest = rest.subarray(cut);
  }
  yield rest;
}

/** The largest cut ≤ `at` that does not split a UTF-8 character (or `at`, if the bytes are not UTF-8). */
function utf8Boundary(bytes: Buffer, at: number): number {
  for (let cut = at; cut > at - 4 && cut > 0; cut -= 1) {
    if (((bytes[cut] ?? 0) & 0xc0) !== 0x80) return cut;
  }
  return at;
}

async function openFile(file: string): Promise<{ handle: FileHandle; identity: string; size: number } | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const status = await handle.stat();
    return { handle, identity: `${status.dev}:${status.ino}`, size: status.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** dev:ino of what the name points at now; undefined while nothing does (deleted, not yet recreated). */
async function identityOf(file: string): Promise<string | undefined> {
  try {
    const status = await stat(file);
    return `${status.dev}:${status.ino}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Waits for a reason to look at the file again: a watch event, the poll interval, or the abort.
 * An event that arrives while nobody waits is remembered as a flag, never queued: a follower whose
 * consumer is slow costs nothing per write.
 */
class Waker {
  readonly #pollMs: number;
  readonly #signal: AbortSignal;
  #watcher: FSWatcher | undefined;
  #dirty = false;
  #wake: (() => void) | undefined;
  readonly #onEvent = (): void => {
    this.#dirty = true;
    this.#wake?.();
  };

  constructor(pollMs: number, signal: AbortSignal) {
    this.#pollMs = pollMs;
    this.#signal = signal;
    signal.addEventListener('abort', this.#onEvent);
  }

  /** Watches `file` (a newly opened one replaces the old); without inotify, polling alone serves. */
  watch(file: string): void {
    this.#unwatch();
    try {
      // Not persistent: following must not keep the process alive when nobody awaits a line.
      const watcher = watch(file, { persistent: false }, this.#onEvent);
      watcher.on('error', () => this.#unwatch());
      this.#watcher = watcher;
    } catch {
      // ENOSPC (inotify watches exhausted) or a file system without events: the poll serves.
    }
  }

  wait(): Promise<void> {
    if (this.#dirty || this.#signal.aborted) {
      this.#dirty = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#wake?.(), this.#pollMs);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        this.#dirty = false;
        resolve();
      };
    });
  }

  close(): void {
    this.#unwatch();
    this.#signal.removeEventListener('abort', this.#onEvent);
    this.#wake?.();
  }

  #unwatch(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
  }
}
