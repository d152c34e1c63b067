/**
 * One log file that the daemon writes itself and rotates by rename, so that disk use is bounded
 * by the policy whatever the writer's rate: the live file never holds more than maxBytes, and
 * at most maxFiles rotated copies (`<file>.1` newest … `<file>.<maxFiles>` oldest) of at most
 * maxBytes each are kept. Nothing is lost to rotation: the bytes pass through the daemon, which
 * writes them before or after the rename, never during.
 *
 * A file is rotated, renamed over or deleted only when `owns` says the daemon created it: a
 * path target may name a file someone else made (appended to, never rotated), and a rotated
 * copy's name may be taken by a file that is not ours (rotation then stops for this file, and
 * says why). Everything is opened with O_NOFOLLOW: a symlink planted at the name is refused,
 * not followed.
 *
 * Synchronous on purpose: it runs on the log pump's own thread (log-pump-worker.ts), where a
 * blocking write holds up nothing but other log bytes, which wait in their pipes meanwhile.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { StatevisorError } from '../../errors.js';

export interface RotationPolicy {
  /** Rotate before the file would hold more than this; 0: never rotate. */
  readonly maxBytes: number;
  /** Rotated copies kept; 0 keeps none (the file starts over empty). */
  readonly maxFiles: number;
}

/** Who made a file: the daemon may rotate, rename over or delete only what it made. */
export interface Ownership {
  owns(path: string): boolean;
  /** The daemon just made `path` (a new, empty file). */
  created(path: string): void;
  /** The daemon is about to delete `path` (one of its own). */
  removing(path: string): void;
}

/** For files in the daemon's own state dir: all of them are its own. */
export const ownsEverything: Ownership = { owns: () => true, created: () => {}, removing: () => {} };

export interface WriteResult {
  /** Bytes of rotated copies deleted to keep maxFiles: the policy's own drop. */
  readonly droppedBytes: number;
  readonly rotations: number;
}

/** The name of the `index`-th rotated copy of `file`: 1 is the newest. */
export function rotatedPath(file: string, index: number): string {
  return `${file}.${index}`;
}

const newline = 0x0a;
const appendFlags = constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW | constants.O_NONBLOCK;

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function sizeOf(path: string): number | undefined {
  try {
    return lstatSync(path).size;
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw error;
  }
}

export class RotatingFile {
  #fd: number;
  #size: number;
  #policy: RotationPolicy;
  /** Why rotation stopped for this file, if it did. */
  #stuck: string | undefined;

  private constructor(
    readonly path: string,
    private readonly ownership: Ownership,
    opened: { fd: number; size: number },
    policy: RotationPolicy,
  ) {
    this.#fd = opened.fd;
    this.#size = opened.size;
    this.#policy = policy;
    this.#checkOwned();
  }

  #checkOwned(): void {
    if (!this.ownership.owns(this.path)) {
      this.#stuck = `${this.path} was not created by statevisor: it is appended to, never rotated`;
    }
  }

  /** Opens `path` for appending, creating it (as ours) if it does not exist. */
  static open(path: string, policy: RotationPolicy, ownership: Ownership): RotatingFile {
    return new RotatingFile(path, ownership, openAppend(path, ownership), policy);
  }

  get size(): number {
    return this.#size;
  }

  /** Why this file is not rotated (not ours, or a rotated copy's name is taken), if so. */
  get notRotated(): string | undefined {
    return this.#stuck;
  }

  setPolicy(policy: RotationPolicy): void {
    this.#policy = policy;
  }

  /** Writes all of `bytes`, rotating first whenever the file would pass maxBytes. */
  write(bytes: Uint8Array): WriteResult {
    let droppedBytes = 0;
    let rotations = 0;
    let rest = bytes;
    while (rest.length > 0) {
      const room = this.#policy.maxBytes - this.#size;
      if (this.#policy.maxBytes === 0 || this.#stuck !== undefined || rest.length <= room) {
        this.#writeAll(rest);
        break;
      }
      // Cut at the last newline that fits, so lines stay whole across files where they can; a
      // line longer than what fits goes in pieces, the live file never past maxBytes.
      let cut = room > 0 ? rest.lastIndexOf(newline, room - 1) + 1 : 0;
      if (cut === 0 && this.#size === 0) cut = Math.min(rest.length, this.#policy.maxBytes);
      if (cut > 0) this.#writeAll(rest.subarray(0, cut));
      rest = rest.subarray(cut);
      if (rest.length === 0) break;
      droppedBytes += this.#rotate();
      rotations += 1;
    }
    return { droppedBytes, rotations };
  }

  close(): void {
    try {
      closeSync(this.#fd);
    } catch {
      // Already closed.
    }
  }

  #writeAll(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += writeSync(this.#fd, bytes, offset);
      } catch (error) {
        // O_NONBLOCK only matters for a FIFO someone put at the name; a file never says EAGAIN.
        if (errnoOf(error) !== 'EAGAIN') throw error;
      }
    }
    this.#size += bytes.length;
  }

  /** Shifts the copies up by one, the live file becoming `.1`, and opens a new live file. */
  #rotate(): number {
    const { maxFiles } = this.#policy;
    // The live file itself may have been replaced under its name since it was opened.
    this.#checkOwned();
    if (this.#stuck !== undefined) return 0;
    const taken = this.#foreignCopy(maxFiles);
    if (taken !== undefined) {
      this.#stuck = `${taken} exists and was not created by statevisor: rotation stopped, the file keeps growing`;
      return 0;
    }
    let dropped = 0;
    const oldest = maxFiles === 0 ? this.path : rotatedPath(this.path, maxFiles);
    const oldestSize = sizeOf(oldest);
    if (oldestSize !== undefined) {
      this.ownership.removing(oldest);
      unlinkSync(oldest);
      dropped = oldestSize;
    }
    for (let index = maxFiles - 1; index >= 1; index -= 1) {
      const from = rotatedPath(this.path, index);
      if (sizeOf(from) !== undefined) renameSync(from, rotatedPath(this.path, index + 1));
    }
    if (maxFiles > 0) renameSync(this.path, rotatedPath(this.path, 1));
    this.close();
    const opened = openAppend(this.path, this.ownership);
    this.#fd = opened.fd;
    this.#size = opened.size;
    // Someone may have put a file of theirs at the name between the rename and the open.
    this.#checkOwned();
    return dropped;
  }

  /** A rotated copy's name held by a file that is not ours: renaming over it would destroy it. */
  #foreignCopy(maxFiles: number): string | undefined {
    for (let index = 1; index <= maxFiles; index += 1) {
      const copy = rotatedPath(this.path, index);
      if (sizeOf(copy) !== undefined && !this.ownership.owns(copy)) return copy;
    }
    return undefined;
  }
}

/**
 * O_CREAT|O_EXCL first, so that the daemon knows whether it made the file; an existing file is
 * opened as it is, appended to, and must be a regular file (a FIFO or device at the name is
 * refused rather than written to).
 */
function openAppend(path: string, ownership: Ownership): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, appendFlags | constants.O_CREAT | constants.O_EXCL, 0o640);
    ownership.created(path);
  } catch (error) {
    if (errnoOf(error) !== 'EEXIST') throw error;
    // Looked at first: opening a FIFO or device for writing could block, or reach a device.
    const found = lstatSync(path);
    if (!found.isFile() && !found.isSymbolicLink()) throw new StatevisorError('E_INVALID_ARGUMENT', `${path} is not a regular file`);
    fd = openSync(path, appendFlags);
  }
  const stat = fstatSync(fd);
  if (!stat.isFile()) {
    closeSync(fd);
    throw new StatevisorError('E_INVALID_ARGUMENT', `${path} is not a regular file`);
  }
  return { fd, size: stat.size };
}
