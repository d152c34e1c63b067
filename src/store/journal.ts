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
  /** With `repair`: the lines dropped because they could not be read, in file order. */
  damaged: DamagedLine[];
  /** With `repair`: sequence numbers absent from the journal (a gap), inclusive ranges. */
  missing: Array<{ from: number; to: number }>;
}

/** A journal line that `repair` dropped: its number (from 1), its size with its newline, and why. */
export interface DamagedLine {
  line: number;
  bytes: number;
  reason: string;
}

/** The journal is damaged where a crash cannot have damaged it; repair (--repair-journal) can start anyway. */
export class CorruptJournalError extends StatevisorError {
  constructor(
    readonly path: string,
    readonly line: number,
    reason: string,
  ) {
    super('E_INTERNAL', `corrupt journal ${path} line ${line}: ${reason}`);
    this.name = 'CorruptJournalError';
  }
}

/**
 * Reads the journal, keeping entries after `afterSeq` (earlier ones are already in the
 * snapshot: a crash between writing the snapshot and replacing the journal leaves them behind).
 * Sequence numbers must run without gaps from at most `afterSeq + 1`: a gap means lost entries.
 *
 * With `repair`, damage in the middle is not an error: every line that reads as an entry in
 * sequence order is kept (a gap is accepted: the entries in it are the damaged lines), and each
 * line dropped is listed in `damaged`, a torn last line included.
 */
export async function readJournal(fs: StoreFs, dir: string, afterSeq: number, { repair = false } = {}): Promise<JournalContents> {
  const path = join(dir, journalFile);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { entries: [], tornBytes: 0, damaged: [], missing: [] };
    throw fileError('read', path, error);
  }
  const lines = splitLines(bytes);
  const entries: JournalEntry[] = [];
  const damaged: DamagedLine[] = [];
  const missing: Array<{ from: number; to: number }> = [];
  let previous: number | undefined;
  for (const [index, line] of lines.entries()) {
    const entry = parseLine(line.toString('utf8'));
    const isLast = index === lines.length - 1;
    // The line's own bytes (not its decoded length: damage is rarely valid UTF-8) and its newline.
    const size = line.length + (isLast && bytes.at(-1) !== newline ? 0 : 1);
    const drop = (reason: string) => {
      if (!repair) throw new CorruptJournalError(path, index + 1, reason);
      damaged.push({ line: index + 1, bytes: size, reason });
    };
    if (typeof entry === 'string') {
      if (isLast) {
        if (repair && (damaged.length > 0 || missing.length > 0)) {
          damaged.push({ line: index + 1, bytes: size, reason: `torn last line (never acknowledged): ${entry}` });
        }
        return { entries, tornBytes: size, damaged, missing };
      }
      drop(entry);
      continue;
    }
    const expected = previous === undefined ? afterSeq + 1 : previous + 1;
    const inOrder = previous === undefined ? entry.seq <= expected : entry.seq === expected;
    if (!inOrder && !(repair && entry.seq > expected)) {
      drop(
        previous !== undefined && entry.seq < expected
          ? `seq ${entry.seq} after seq ${previous} (out of order)`
          : `seq ${entry.seq} where ${expected} was expected (entries are missing)`,
      );
      continue;
    }
    if (!inOrder) missing.push({ from: expected, to: entry.seq - 1 });
    previous = entry.seq;
    if (entry.seq > afterSeq) entries.push(entry);
  }
  return { entries, tornBytes: 0, damaged, missing };
}

/** The lines of `bytes`, without their newlines; a newline ends a line rather than starting an empty one. */
function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let end = bytes.indexOf(newline); end !== -1; end = bytes.indexOf(newline, start)) {
    lines.push(bytes.subarray(start, end));
    start = end + 1;
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
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
