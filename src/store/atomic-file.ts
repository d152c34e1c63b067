/**
 * Replacing a file so that a crash at any instant leaves either the old or the new contents,
 * never a mix: write a temp file in the same directory, fsync it, rename it over the target,
 * fsync the directory.
 *
 * Order matters. Without the fsync before the rename, the rename (metadata) can reach the disk
 * before the data, and a power cut leaves an empty or partial target. Without the directory fsync
 * after it, the rename itself may not survive, and the caller could act on a replacement that is
 * later undone (for example truncate the journal while the old snapshot comes back).
 */
import { constants } from 'node:fs';
import { join } from 'node:path';
import type { StoreFile, StoreFs } from './fs-adapter.js';
import { fileError, noFollow, writeAll } from './fs-adapter.js';

const { O_WRONLY, O_CREAT, O_TRUNC, O_APPEND, O_RDONLY, O_DIRECTORY } = constants;

/**
 * Atomically replaces `dir/name` with `data`. With `keepOpen`, returns the new file still open
 * for appending (its descriptor follows the inode through the rename).
 */
export async function replaceFile(
  fs: StoreFs,
  dir: string,
  name: string,
  data: Uint8Array,
  keepOpen: boolean,
): Promise<StoreFile | undefined> {
  const target = join(dir, name);
  // A fixed temp name is safe: the lock admits one store per directory, and the store runs one
  // replacement per file at a time. O_TRUNC discards what a crashed predecessor left there.
  const temp = `${target}.tmp`;
  const file = await fs.open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | noFollow, 0o600).catch((error: unknown) => {
    throw fileError('create', temp, error);
  });
  try {
    await writeAll(file, data);
    await file.sync();
    await fs.rename(temp, target);
    await syncDirectory(fs, dir);
  } catch (error) {
    await file.close().catch(() => undefined);
    throw error;
  }
  if (keepOpen) return file;
  await file.close();
  return undefined;
}

/** fsync(2) on a directory makes its entries (creations, renames, unlinks) durable. */
export async function syncDirectory(fs: StoreFs, dir: string): Promise<void> {
  const handle = await fs.open(dir, O_RDONLY | O_DIRECTORY | noFollow);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
