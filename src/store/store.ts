/**
 * The daemon's durable desired state: which processes exist, what they should be doing, and the
 * identity of each one's running workload.
 *
 * Layout of the state directory (one store per directory, see lock.ts):
 *   snapshot.json   the whole state as of entry `seq`, replaced atomically (atomic-file.ts)
 *   journal.jsonl   the entries after it, appended and fdatasync'ed (journal.ts)
 *   lock            the owner's pid and start time
 *
 * A mutation applies to memory at once (a read right after sees it), is appended to the journal
 * through a group commit, and its promise resolves only after the fdatasync that covers it. So
 * every resolved write survives kill -9 or a power cut, and a write still pending at a crash is
 * either wholly there after the restart or wholly absent.
 *
 * Compaction folds the journal into a new snapshot without stopping writers: it serialises the
 * state at a cut (synchronously, so the cut is consistent), writes the snapshot while appends
 * continue, then, with flushes briefly held, swaps in a journal holding only the entries after
 * the cut. A crash at any step leaves a snapshot plus a journal that replays to the same state.
 */
import { dirname, join } from 'node:path';
import { StatevisorError } from '../errors.js';
import { syncDirectory } from './atomic-file.js';
import type { Change, JournalEntry } from './entries.js';
import { applyEntry, parseEntry } from './entries.js';
import type { StoreFs } from './fs-adapter.js';
import { errorCode, nodeFs } from './fs-adapter.js';
import { GroupCommit } from './group-commit.js';
import { JournalWriter, journalFile, readJournal, type DamagedLine } from './journal.js';
import { DirLock } from './lock.js';
import type { DesiredState, ProcessRecord, RunRecord, StoredState, StoredStateView } from './records.js';
import { encodeSnapshot, readSnapshot, writeSnapshot } from './snapshot.js';

export interface StoreOptions {
  /** Compact once this many entries follow the snapshot. Default 1,000. */
  compactAfter?: number;
  /** The file-system calls to make; tests inject ones that count syncs or fail. */
  fs?: StoreFs;
  /**
   * Open even when the journal is damaged in the middle (the daemon's --repair-journal): keep
   * every readable entry, keep the damaged file beside it under a dated name, and say in
   * `store.repair` what was lost. Without it such a journal is refused (CorruptJournalError).
   */
  repairJournal?: boolean;
  /** The time in the damaged file's name (tests fix it). */
  now?: () => Date;
}

/** What --repair-journal dropped, and where the damaged journal was kept. */
export interface JournalRepair {
  readonly journal: string;
  /** The damaged journal, kept as it was: `journal.jsonl.damaged-<UTC time>`. */
  readonly keptAs: string;
  /** Entries replayed from it. */
  readonly kept: number;
  readonly damaged: readonly DamagedLine[];
  /** Sequence numbers absent from it, inclusive ranges. */
  readonly missing: ReadonlyArray<{ from: number; to: number }>;
}

const defaults = { compactAfter: 1_000 };

/** A journal line on its way to disk. */
interface PendingEntry {
  seq: number;
  data: Buffer;
}

export class Store {
  private readonly commits = new GroupCommit<PendingEntry>((batch) => this.flushBatch(batch));
  private closing: Promise<void> | undefined;
  private compaction: Promise<void> | undefined;
  /** While a compaction runs: the entries flushed since its cut, which the new journal keeps. */
  private flushedSinceCut: PendingEntry[] | undefined;

  private constructor(
    private readonly fs: StoreFs,
    private readonly dir: string,
    private readonly lock: DirLock,
    private readonly journal: JournalWriter,
    private readonly current: StoredState,
    private seq: number,
    private snapshotSeq: number,
    private readonly compactAfter: number,
    /** Set when the store was opened with repairJournal and the journal needed it. */
    readonly repair: JournalRepair | undefined,
  ) {}

  static async open(dir: string, options: StoreOptions = {}): Promise<Store> {
    const compactAfter = options.compactAfter ?? defaults.compactAfter;
    if (!Number.isSafeInteger(compactAfter) || compactAfter < 1) {
      const message = `compactAfter must be a positive integer, got ${compactAfter}`;
      throw new StatevisorError('E_INVALID_ARGUMENT', message);
    }
    const fs = options.fs ?? nodeFs;
    try {
      await ensureDirectory(fs, dir);
    } catch (error) {
      throw internal(`cannot create state dir ${dir}`, error);
    }
    const lock = await DirLock.acquire(fs, dir).catch((error: unknown) => {
      throw error instanceof StatevisorError ? error : internal(`cannot lock state dir ${dir}`, error);
    });
    try {
      const snapshot = await readSnapshot(fs, dir);
      const { entries, damaged, missing } = await readJournal(fs, dir, snapshot.seq, { repair: options.repairJournal === true });
      for (const entry of entries) applyEntry(snapshot.state, entry);
      const seq = entries.at(-1)?.seq ?? snapshot.seq;
      // Fold what was replayed into a new snapshot and start an empty journal. Replacing the
      // journal (rather than appending to it) is also what cuts away a torn last line before
      // anything is written after it. The snapshot is durable before the journal is replaced.
      await writeSnapshot(fs, dir, encodeSnapshot(seq, snapshot.state));
      let repair: JournalRepair | undefined;
      if (damaged.length > 0 || missing.length > 0) {
        // A second name for the damaged file, made before the replacement takes the first one
        // and made durable by the same directory fsync.
        const keptAs = await keepAside(fs, join(dir, journalFile), (options.now ?? (() => new Date()))());
        repair = { journal: join(dir, journalFile), keptAs, kept: entries.length, damaged, missing };
      }
      const journal = await JournalWriter.create(fs, dir, Buffer.alloc(0));
      return new Store(fs, dir, lock, journal, snapshot.state, seq, seq, compactAfter, repair);
    } catch (error) {
      await lock.release().catch(() => undefined);
      throw error instanceof StatevisorError ? error : internal(`cannot open state dir ${dir}`, error);
    }
  }

  /** The current state, including writes not yet durable. Frozen records; do not keep the maps. */
  state(): StoredStateView {
    return this.current;
  }

  /** Creates or replaces a process record; an existing run is kept. */
  putProcess(record: ProcessRecord): Promise<void> {
    return this.commit({ op: 'put', record });
  }

  /** Removes a process and its run. Deleting an absent id is not an error (see noop). */
  deleteProcess(id: string): Promise<void> {
    if (this.current.processes[id] === undefined && this.current.runs[id] === undefined) return this.noop();
    return this.commit({ op: 'delete', id });
  }

  setDesired(id: string, desired: DesiredState): Promise<void> {
    return this.current.processes[id] === undefined ? this.notFound(id) : this.commit({ op: 'desired', id, desired });
  }

  /** Records the workload now running for `id` (replacing any earlier one). */
  recordRun(id: string, run: RunRecord): Promise<void> {
    return this.current.processes[id] === undefined ? this.notFound(id) : this.commit({ op: 'run', id, run });
  }

  clearRun(id: string): Promise<void> {
    if (this.current.runs[id] === undefined) return this.noop();
    return this.commit({ op: 'clearRun', id });
  }

  /** Resolves once every write issued so far is durable; rejects if the store has failed. */
  flush(): Promise<void> {
    return this.commits.settled();
  }

  /**
   * Folds the journal into a new snapshot. Starts by itself in the background once
   * `compactAfter` entries follow the snapshot; a caller may also await it (one at a time).
   */
  compact(): Promise<void> {
    const unusable = this.unusable();
    if (unusable !== undefined) return Promise.reject(unusable);
    this.compaction ??= this.runCompaction().finally(() => {
      this.compaction = undefined;
    });
    return this.compaction;
  }

  /** Waits for pending writes and any compaction, then releases the directory. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private commit(change: Change): Promise<void> {
    const unusable = this.unusable();
    if (unusable !== undefined) return Promise.reject(unusable);
    const seq = this.seq + 1;
    const encoded = encodeEntry({ seq, ...change });
    if (typeof encoded === 'string') {
      return Promise.reject(new StatevisorError('E_INVALID_ARGUMENT', `cannot store ${change.op}: ${encoded}`));
    }
    applyEntry(this.current, encoded.entry);
    this.seq = seq;
    const durable = this.commits.submit({ seq, data: encoded.line });
    if (seq - this.snapshotSeq >= this.compactAfter && this.compaction === undefined) {
      // Failure is reported through the writes: compaction failing fails the committer.
      this.compact().catch(() => undefined);
    }
    return durable;
  }

  /**
   * A write with nothing to change still answers like one: refused when the store is closed or
   * failed, and resolved only once the writes before it are durable (the state it saw was theirs).
   */
  private noop(): Promise<void> {
    const unusable = this.unusable();
    return unusable === undefined ? this.commits.settled() : Promise.reject(unusable);
  }

  private notFound(id: string): Promise<never> {
    const error = this.unusable() ?? new StatevisorError('E_NOT_FOUND', `no stored process '${id}'`);
    return Promise.reject(error);
  }

  private async flushBatch(batch: PendingEntry[]): Promise<void> {
    const data = batch.length === 1 ? (batch[0] as PendingEntry).data : Buffer.concat(batch.map((e) => e.data));
    try {
      await this.journal.append(data);
    } catch (error) {
      throw internal(`cannot append to the journal in ${this.dir}`, error);
    }
    if (this.flushedSinceCut !== undefined) for (const entry of batch) this.flushedSinceCut.push(entry);
  }

  private async runCompaction(): Promise<void> {
    const cut = this.seq;
    const encoded = encodeSnapshot(cut, this.current);
    // The entry numbered `cut` is the last one submitted. Once it is flushed, every entry up to
    // the cut is in the old journal and everything still queued comes after the cut, so the new
    // journal starts exactly at cut + 1.
    const cutFlushed = this.commits.settled();
    this.flushedSinceCut = [];
    try {
      await writeSnapshot(this.fs, this.dir, encoded);
      await cutFlushed;
      await this.commits.exclusive(async () => {
        // The snapshot is durable, so the old journal's entries up to the cut can go; those after
        // it were acknowledged from the old journal and must be carried over before the swap.
        const kept = (this.flushedSinceCut ?? []).filter((entry) => entry.seq > cut);
        await this.journal.replace(Buffer.concat(kept.map((entry) => entry.data)));
        this.flushedSinceCut = undefined;
      });
      this.snapshotSeq = cut;
    } catch (error) {
      // Failing before the swap would be harmless, but during it, which file is the journal is
      // unknown: stop accepting writes rather than acknowledge one into a file that may no longer
      // be the journal. Everything acknowledged is on disk; a reopen recovers it.
      const failure = error instanceof StatevisorError ? error : internal(`cannot compact ${this.dir}`, error);
      this.commits.fail(failure);
      throw failure;
    } finally {
      this.flushedSinceCut = undefined;
    }
  }

  private async shutdown(): Promise<void> {
    try {
      await this.commits.settled().catch(() => undefined);
      await this.compaction?.catch(() => undefined);
      await this.journal.close();
    } finally {
      await this.lock.release();
    }
  }

  private unusable(): StatevisorError | undefined {
    if (this.closing !== undefined) {
      return new StatevisorError('E_UNAVAILABLE', `the store in ${this.dir} is closed`);
    }
    const failed = this.commits.failed;
    if (failed === undefined) return undefined;
    return failed instanceof StatevisorError ? failed : internal(`the store in ${this.dir} failed`, failed);
  }
}

/** Links `file` to `<file>.damaged-<UTC time>` (a counter added if taken); returns that name. */
async function keepAside(fs: StoreFs, file: string, at: Date): Promise<string> {
  const stamp = at.toISOString().replace(/:/g, '-');
  for (let n = 0; ; n += 1) {
    const aside = `${file}.damaged-${stamp}${n === 0 ? '' : `.${n}`}`;
    try {
      await fs.link(file, aside);
      return aside;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST' || n >= 100) throw error;
    }
  }
}

/**
 * mkdir -p, then fsync the parent of every directory it created: a new directory's entry lives
 * in its parent, and without that fsync a power cut can lose the whole state directory.
 */
async function ensureDirectory(fs: StoreFs, dir: string): Promise<void> {
  const created = await fs.mkdir(dir);
  if (created === undefined) return;
  for (let child = dir; child !== dirname(created); child = dirname(child)) {
    await syncDirectory(fs, dirname(child));
  }
}

/**
 * The journal line for an entry, and the entry decoded back from it. Memory gets the decoded
 * copy, not the caller's object: it then holds exactly what a replay will rebuild, and a value
 * JSON cannot carry (a cycle, a BigInt, an undefined spec) is refused now, not at the restart.
 */
function encodeEntry(entry: JournalEntry): { line: Buffer; entry: JournalEntry } | string {
  try {
    const line = `${JSON.stringify(entry)}\n`;
    const decoded = parseEntry(JSON.parse(line));
    return typeof decoded === 'string' ? decoded : { line: Buffer.from(line), entry: decoded };
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function internal(message: string, cause: unknown): StatevisorError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new StatevisorError('E_INTERNAL', `${message}: ${reason}`, { cause });
}
