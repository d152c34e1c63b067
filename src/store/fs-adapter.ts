/**
 * The file-system calls the store makes, gathered behind one interface so that tests can count
 * syncs or make a call fail or wait. `FileHandle` from node:fs/promises already has this shape.
 */
import { promises as fsp } from 'node:fs';

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
  readFile: (path) => fsp.readFile(path),
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
