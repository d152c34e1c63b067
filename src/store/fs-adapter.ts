/**
 * The file-system calls the store makes, gathered behind one interface so that tests can count
 * syncs or make a call fail or wait. `FileHandle` from node:fs/promises already has this shape.
 *
 * Every file the store opens is opened with O_NOFOLLOW (`noFollow`): the state dir is the
 * daemon's alone, so a symbolic link in it was planted, and writing through it as root would
 * write wherever it points. A link then fails with ELOOP, reported as such by `fileError`.
 */
import { constants, promises as fsp } from 'node:fs';
import { StatevisorError } from '../errors.js';

export const noFollow = constants.O_NOFOLLOW;

export interface StoreFile {
  write(data: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  /** fdatasync(2): the data and the metadata needed to read it back (the size), not mtime. */
  datasync(): Promise<void>;
  /** fsync(2): data and all metadata; on a directory, its entries (creates, renames). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreFs {
  open(path: string, flags: number, mode?: number): Promise<StoreFile>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, created: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readFile(path: string): Promise<Buffer>;
  /** Like mkdir -p; resolves to the first directory it created, or undefined if none. */
  mkdir(path: string): Promise<string | undefined>;
}

export const nodeFs: StoreFs = {
  open: (path, flags, mode) => fsp.open(path, flags, mode),
  rename: (from, to) => fsp.rename(from, to),
  link: (existing, created) => fsp.link(existing, created),
  unlink: (path) => fsp.unlink(path),
  readFile: (path) => fsp.readFile(path, { flag: constants.O_RDONLY | noFollow }),
  mkdir: (path) => fsp.mkdir(path, { recursive: true, mode: 0o700 }),
};

/** Writes all of `data`: write(2) may write less than asked (a signal, a full disk). */
export async function writeAll(file: StoreFile, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await file.write(data, offset, data.length - offset);
    if (bytesWritten <= 0) throw new Error(`write made no progress at byte ${offset} of ${data.length}`);
    offset += bytesWritten;
  }
}

export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** The error for a store file that cannot be read or created, saying plainly when it is a planted link. */
export function fileError(action: 'read' | 'create', path: string, error: unknown): StatevisorError {
  if (errorCode(error) === 'ELOOP') {
    return new StatevisorError(
      'E_INVALID_ARGUMENT',
      `${path} is a symbolic link, which the daemon never follows in its state dir; someone planted it: remove it`,
      { cause: error },
    );
  }
  return new StatevisorError('E_INTERNAL', `cannot ${action} ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
