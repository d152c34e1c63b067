/**
 * `journal.jsonl`: the changes made since the snapshot, one JSON entry per line, appended and
 * fdatasync'ed before any of them is acknowledged.
 *
 * A crash (or SIGKILL in the middle of a large write(2)) can leave a torn LAST line: a prefix of
 * the final write, or, after a power cut on some file systems, zeros where data was not yet
 * written. No entry in it was acknowledged, since its fdatasync never returned, so it is
 * dropped. Damage anywhere else cannot come from a crash, only from the disk or a person, and is
 * reported with the file and line instead of being skipped: skipping would silently resurrect or
 * lose a process.
 */
import { join } from 'node:path';
import { StatevisorError } from '../errors.js';
import { replaceFile } from './atomic-file.js';
import type { JournalEntry } from './entries.js';
import { parseEntry } from './entries.js';
import type { StoreFile, StoreFs } from './fs-adapter.js';
import { errorCode, fileError, writeAll } from './fs-adapter.js';

export const journalFile = 'journal.jsonl';
const newline = 0x0a;

export interface JournalContents {
  /** The entries after `afterSeq`, in order. */
  entries: JournalEntry[];
  /** The bytes of a torn last line that were dropped (0 when the journal ended cleanly). */
  tornBytes: number;
}

/**
 * Reads the journal, keeping entries after `afterSeq` (earlier ones are already in the
 * snapshot: a crash between writing the snapshot and replacing the journal leaves them behind).
 * Sequence numbers must run without gaps from at most `afterSeq + 1`: a gap means lost entries.
 */
export async function readJournal(fs: StoreFs, dir: string, afterSeq: number): Promise<JournalContents> {
  const path = join(dir, journalFile);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { entries: [], tornBytes: 0 };
    throw fileError('read', path, error);
  }
  const endsCleanly = bytes.at(-1) === newline;
  const lines = bytes.toString('utf8').split('\n');
  // A journal that ends with '\n' leaves one empty string after the split.
  if (endsCleanly || bytes.length === 0) lines.pop();
  const entries: JournalEntry[] = [];
  let previous: number | undefined;
  for (const [index, line] of lines.entries()) {
    const entry = parseLine(line);
    const isLast = index === lines.length - 1;
    if (typeof entry === 'string') {
      if (isLast) {
        const start = bytes.lastIndexOf(newline, endsCleanly ? -2 : -1) + 1;
        return { entries, tornBytes: bytes.length - start };
      }
      throw corrupt(path, index + 1, entry);
    }
    const expected = previous === undefined ? afterSeq + 1 : previous + 1;
    if (previous === undefined ? entry.seq > expected : entry.seq !== expected) {
      throw corrupt(path, index + 1, `seq ${entry.seq} where ${expected} was expected (entries are missing)`);
    }
    previous = entry.seq;
    if (entry.seq > afterSeq) entries.push(entry);
  }
  return { entries, tornBytes: 0 };
}

function parseLine(line: string): JournalEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return `not JSON: ${JSON.stringify(line.slice(0, 60))}`;
  }
  return parseEntry(value);
}

function corrupt(path: string, line: number, reason: string): StatevisorError {
  return new StatevisorError('E_INTERNAL', `corrupt journal ${path} line ${line}: ${reason}`);
}

/** The open journal: appends go to its end, each made durable before the promise resolves. */
export class JournalWriter {
  private file: StoreFile | undefined;

  private constructor(
    private readonly fs: StoreFs,
    private readonly dir: string,
    file: StoreFile,
  ) {
    this.file = file;
  }

  /**
   * Starts the journal afresh with `initial` (the entries a compaction must keep). Replacing
   * instead of appending is also what removes a torn last line before anything is appended after
   * it; otherwise the torn bytes would become corruption in the middle.
   */
  static async create(fs: StoreFs, dir: string, initial: Buffer): Promise<JournalWriter> {
    const file = await replaceFile(fs, dir, journalFile, initial, true);
    return new JournalWriter(fs, dir, file as StoreFile);
  }

  async append(data: Buffer): Promise<void> {
    const file = this.open();
    await writeAll(file, data);
    // fdatasync, not fsync: the size is flushed with the data, and mtime is not worth a seek.
    await file.datasync();
  }

  /** Atomically swaps in a new journal holding `initial`; appends then go to the new file. */
  async replace(initial: Buffer): Promise<void> {
    const old = this.open();
    try {
      this.file = await replaceFile(this.fs, this.dir, journalFile, initial, true);
    } catch (error) {
      // The rename may have happened: the old descriptor could point at an unlinked file, where
      // an append would be acknowledged and lost. Refuse every append from here on.
      this.file = undefined;
      await old.close().catch(() => undefined);
      throw error;
    }
    await old.close();
  }

  async close(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    await file?.close();
  }

  private open(): StoreFile {
    if (this.file === undefined) throw new Error('the journal is closed');
    return this.file;
  }
}
