/**
 * `logs -f`: the lines appended to a log file, as an async generator.
 *
 * Reading is driven by the consumer: bytes are read, one bounded chunk at a time, only when the
 * consumer pulls and the previous chunk's lines are spent. A slow consumer (a gRPC stream under
 * back-pressure) therefore makes the generator read later, never buffer more; what it holds is at
 * most one chunk plus one partial line, and a line longer than `maxLineBytes` is handed out in
 * pieces. fs.watch only raises a flag; a poll covers file systems where inotify is absent or out
 * of watches, and notices a replaced file (a watch follows the inode, not the name).
 *
 * Rotation renames the file away and the log pump starts a new one under the name: a file
 * replaced under the same name (rename, or delete and create) is read to its end, then the new
 * one is opened and read from its start. A file truncated in place (`> file` by hand) shows as a
 * file shorter than our offset, and we restart at 0; that is missed only if it is refilled past
 * our old offset between two looks (as with `tail -F`).
 */
import { watch, type FSWatcher } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { StatevisorError } from '../../errors.js';

export interface FollowOptions {
  /** Start at the current end (only new lines) rather than at the start of the file. */
  readonly fromEnd: boolean;
  /**
   * Start at this offset instead (where a tail ended, so that no line falls between the two); a
   * file now shorter than it was truncated meanwhile and is read from its start.
   */
  readonly fromOffset?: number;
  /** Aborting ends the generator and at once releases its descriptor, watch and timer. */
  readonly signal: AbortSignal;
  /** Longest wait between looks at the file when no watch event arrives. */
  readonly pollMs?: number;
  /** Bytes per read. */
  readonly chunkBytes?: number;
  /** A line longer than this is handed out in pieces, without waiting for its newline. */
  readonly maxLineBytes?: number;
  /** Filled in as the generator runs: for tests and metrics. */
  readonly probe?: FollowProbe;
}

/** What a follower holds and has done. */
export interface FollowProbe {
  /** Bytes held while suspended at a yield: the unread rest of a chunk plus the line handed out. */
  heldBytes: number;
  peakHeldBytes: number;
  bytesRead: number;
  /** Times the file was found shorter than the offset (truncated in place) and read from 0. */
  truncations: number;
  /** Times the name was found to point at another file, which was then opened. */
  reopens: number;
  /** Times it waited for the file to change (or to appear). */
  waits: number;
}

export function newFollowProbe(): FollowProbe {
  return { heldBytes: 0, peakHeldBytes: 0, bytesRead: 0, truncations: 0, reopens: 0, waits: 0 };
}

const newline = 0x0a;
/** Returned by FileCursor when the bytes before it and after it are not one stream. */
const discontinuity = Symbol('discontinuity');

/**
 * The lines appended to `file`, without their newlines. Like any generator it starts at the first
 * pull: that is when `fromEnd` takes the end as its starting point.
 */
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
  const cursor = new FileCursor(file, options.fromOffset ?? (fromEnd ? 'end' : 0), chunkBytes, pollMs, probe);
  // Closing on abort, not only in `finally`: a generator suspended at a yield whose consumer never
  // pulls again would otherwise hold its descriptor and watch until garbage collection.
  const onAbort = (): void => void cursor.close();
  signal.addEventListener('abort', onAbort);
  let partial = Buffer.alloc(0);
  try {
    while (!signal.aborted) {
      const chunk = await cursor.next();
      if (chunk === undefined) return;
      if (chunk === discontinuity) {
        // The rest of this line went to the rotated copy, or to the old file: hand out what we have.
        if (partial.length === 0) continue;
        const line = partial;
        partial = Buffer.alloc(0);
        hold(line.length);
        if (signal.aborted) return;
        yield line.toString('utf8');
        continue;
      }
      let start = 0;
      for (let at = chunk.indexOf(newline); at !== -1; at = chunk.indexOf(newline, start)) {
        const line = partial.length > 0 ? Buffer.concat([partial, chunk.subarray(start, at)]) : chunk.subarray(start, at);
        partial = Buffer.alloc(0);
        start = at + 1;
        for (const piece of pieces(line, maxLineBytes)) {
          hold(chunk.length - start + line.length);
          if (signal.aborted) return;
          yield piece.toString('utf8');
        }
      }
      // Copied: the cursor's buffer is overwritten by the next read.
      partial = Buffer.concat([partial, chunk.subarray(start)]);
      while (partial.length > maxLineBytes) {
        const cut = utf8Boundary(partial, maxLineBytes);
        const piece = partial.subarray(0, cut);
        partial = Buffer.from(partial.subarray(cut));
        hold(piece.length + partial.length);
        if (signal.aborted) return;
        yield piece.toString('utf8');
      }
      hold(partial.length);
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    await cursor.close();
    hold(0);
  }
}

/**
 * Where we are in the file the name points at: reads the next bytes, waiting while there are
 * none, and notices truncation and replacement.
 */
class FileCursor {
  readonly #file: string;
  readonly #probe: FollowProbe;
  readonly #buffer: Buffer;
  readonly #waker: Waker;
  /** Where the first file opened is read from; a file opened later is new and read from 0. */
  #start: number | 'end';
  #handle: FileHandle | undefined;
  #identity = '';
  #offset = 0;
  /** The name points at another file; it is opened once the old one is read to its end. */
  #replaced = false;
  #closing: Promise<void> | undefined;

  constructor(file: string, start: number | 'end', chunkBytes: number, pollMs: number, probe: FollowProbe) {
    this.#file = file;
    this.#start = start;
    this.#probe = probe;
    this.#buffer = Buffer.allocUnsafe(chunkBytes); // one buffer, reused by every read
    this.#waker = new Waker(pollMs);
  }

  /**
   * The next bytes, as a view of a buffer that the following call overwrites; `discontinuity` when
   * the file was truncated or replaced; undefined once closed.
   */
  async next(): Promise<Buffer | typeof discontinuity | undefined> {
    while (!this.#closed) {
      try {
        const result = await this.#step();
        if (result !== undefined) return this.#closed ? undefined : result;
      } catch (error) {
        // Closed under a pending read or stat: EBADF is the close's doing, not a failure.
        if (this.#closed) return undefined;
        throw error;
      }
    }
    return undefined;
  }

  /** Idempotent; every call resolves once the descriptor is closed. */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      this.#waker.close();
      // A read in flight finishes first: FileHandle defers the close until then.
      this.#closing = this.#handle?.close() ?? Promise.resolve();
      this.#handle = undefined;
    }
    return this.#closing;
  }

  get #closed(): boolean {
    return this.#closing !== undefined;
  }

  /** One look at the file; undefined when there is nothing to return yet. */
  async #step(): Promise<Buffer | typeof discontinuity | undefined> {
    const handle = this.#handle;
    if (handle === undefined) return this.#open();
    const { bytesRead } = await handle.read(this.#buffer, 0, this.#buffer.length, this.#offset);
    if (bytesRead > 0) {
      this.#offset += bytesRead;
      this.#probe.bytesRead += bytesRead;
      return this.#buffer.subarray(0, bytesRead);
    }
    if (this.#replaced) {
      // The old file is read to its end: on to the new one.
      this.#probe.reopens += 1;
      this.#replaced = false;
      this.#handle = undefined;
      await handle.close();
      return discontinuity;
    }
    if ((await handle.stat()).size < this.#offset) {
      this.#probe.truncations += 1;
      this.#offset = 0;
      return discontinuity;
    }
    const now = await identityOf(this.#file);
    if (now !== undefined && now !== this.#identity) {
      // Written to since our last read, perhaps: read it to its end before switching.
      this.#replaced = true;
      return undefined;
    }
    this.#probe.waits += 1;
    await this.#waker.wait();
    return undefined;
  }

  async #open(): Promise<undefined> {
    let handle: FileHandle;
    try {
      handle = await open(this.#file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // A file that appears later was written after we started: all of it is new.
      this.#start = 0;
      this.#probe.waits += 1;
      await this.#waker.wait();
      return undefined;
    }
    if (this.#closed) {
      await handle.close();
      return undefined;
    }
    this.#handle = handle;
    const status = await handle.stat();
    this.#identity = `${status.dev}:${status.ino}`;
    const start = this.#start === 'end' ? status.size : this.#start;
    this.#offset = start <= status.size ? start : 0;
    this.#start = 0; // a file opened later is a new file, read from its start
    this.#waker.watch(this.#file);
    return undefined;
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
 * Waits for a reason to look at the file again: a watch event, the poll interval, or close().
 * An event that arrives while nobody waits is remembered as a flag, never queued: a follower whose
 * consumer is slow costs nothing per write.
 */
class Waker {
  readonly #pollMs: number;
  #watcher: FSWatcher | undefined;
  #dirty = false;
  #closed = false;
  #wake: (() => void) | undefined;
  readonly #onEvent = (): void => {
    this.#dirty = true;
    this.#wake?.();
  };

  constructor(pollMs: number) {
    this.#pollMs = pollMs;
  }

  /** Watches `file` (a newly opened one replaces the old); without inotify, polling alone serves. */
  watch(file: string): void {
    this.#unwatch();
    if (this.#closed) return;
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
    if (this.#dirty || this.#closed) {
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
    this.#closed = true;
    this.#unwatch();
    this.#wake?.();
  }

  #unwatch(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
  }
}
