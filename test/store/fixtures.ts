/**
 * Shared helpers for the store tests: a temp state dir per test, records, and an fs adapter that
 * counts syncs and lets a test hold or fail a call at a chosen point.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import type { TestContext } from 'node:test';
import { hasCode } from '../../src/errors.js';
import type { ErrorCode } from '../../src/errors.js';
import { nodeFs } from '../../src/store/index.js';
import type { ProcessRecord, RunRecord, StoreFile, StoreFs } from '../../src/store/index.js';

/** A fresh directory for one test, removed after it; the state dir is a subdirectory. */
export async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'statevisor-store-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'state');
}

export function processRecord(id: string, overrides: Partial<ProcessRecord> = {}): ProcessRecord {
  const spec = { command: ['sleep', '3600'], n: 0 };
  return { id, spec, createdAt: 1_700_000_000_000, desired: 'running', source: 'api', ...overrides };
}

export function runRecord(pid: number, overrides: Partial<RunRecord> = {}): RunRecord {
  return { pid, pgid: pid, startTime: 12_345, runCount: 1, startedAt: 1_700_000_000_500, ...overrides };
}

export interface SyncCounts {
  /** fdatasync calls, by file name (journal.jsonl, …). */
  datasync: Map<string, number>;
  /** fsync calls, by file name (a directory counts under its own name). */
  sync: Map<string, number>;
}

export interface Hooks {
  /** Runs before a rename; may wait (to hold a compaction) or throw (to fail it). */
  beforeRename?: (from: string, to: string) => Promise<void> | void;
  /** Runs before an fdatasync of the named file. */
  beforeDatasync?: (name: string) => Promise<void> | void;
}

/** nodeFs, counting every sync and running the test's hooks. */
export function tracedFs(hooks: Hooks = {}): { fs: StoreFs; counts: SyncCounts } {
  const counts: SyncCounts = { datasync: new Map(), sync: new Map() };
  const bump = (map: Map<string, number>, name: string) => map.set(name, (map.get(name) ?? 0) + 1);
  const fs: StoreFs = {
    ...nodeFs,
    async open(path, flags, mode) {
      const file = await nodeFs.open(path, flags, mode);
      // The journal's descriptor outlives the rename of journal.jsonl.tmp: count it by its final name.
      const name = basename(path).replace(/\.tmp$/, '');
      const traced: StoreFile = {
        write: (data, offset, length) => file.write(data, offset, length),
        async datasync() {
          await hooks.beforeDatasync?.(name);
          bump(counts.datasync, name);
          return file.datasync();
        },
        sync() {
          bump(counts.sync, name);
          return file.sync();
        },
        close: () => file.close(),
      };
      return traced;
    },
    async rename(from, to) {
      await hooks.beforeRename?.(from, to);
      return nodeFs.rename(from, to);
    },
  };
  return { fs, counts };
}

export function total(map: Map<string, number>): number {
  return [...map.values()].reduce((sum, n) => sum + n, 0);
}

/** For assert.rejects: the error has `code` and, if given, a message containing `text`. */
export function failsWith(code: ErrorCode, text?: string | RegExp): (error: unknown) => boolean {
  return (error) => {
    const message = error instanceof Error ? error.message : String(error);
    const matches = text === undefined || (typeof text === 'string' ? message.includes(text) : text.test(message));
    return hasCode(error, code) && matches;
  };
}

/** An I/O error as the kernel would report it. */
export function eio(call: string): Error {
  return Object.assign(new Error(`EIO: i/o error, ${call}`), { code: 'EIO' });
}

/** A promise with its resolver outside: lets a test hold a hook until it says go. */
export function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/**
 * nodeFs, recording the calls that make data durable, in the order they return: `write <file>`,
 * `fdatasync <file>`, `fsync <file or dir>`, `rename <from> <to>`, `link`, `unlink`, `mkdir`.
 * Paths are relative to `root`; a descriptor is named by its file's current name (it follows a
 * rename, as the inode does). A kill -9 cannot show a missing fsync (the page cache survives it):
 * the order of these calls can.
 */
export function recordingFs(root: string): { fs: StoreFs; calls: string[] } {
  const calls: string[] = [];
  const name = (path: string) => relative(root, path) || '.';
  const open = new Set<{ path: string }>();
  const fs: StoreFs = {
    async open(path, flags, mode) {
      const file = await nodeFs.open(path, flags, mode);
      const handle = { path };
      open.add(handle);
      const recorded: StoreFile = {
        async write(data, offset, length) {
          const result = await file.write(data, offset, length);
          calls.push(`write ${name(handle.path)}`);
          return result;
        },
        async datasync() {
          await file.datasync();
          calls.push(`fdatasync ${name(handle.path)}`);
        },
        async sync() {
          await file.sync();
          calls.push(`fsync ${name(handle.path)}`);
        },
        async close() {
          open.delete(handle);
          await file.close();
        },
      };
      return recorded;
    },
    async rename(from, to) {
      await nodeFs.rename(from, to);
      for (const handle of open) if (handle.path === from) handle.path = to;
      calls.push(`rename ${name(from)} ${name(to)}`);
    },
    async link(existing, created) {
      await nodeFs.link(existing, created);
      calls.push(`link ${name(existing)} ${name(created)}`);
    },
    async unlink(path) {
      await nodeFs.unlink(path);
      calls.push(`unlink ${name(path)}`);
    },
    readFile: (path) => nodeFs.readFile(path),
    async mkdir(path) {
      const created = await nodeFs.mkdir(path);
      calls.push(`mkdir ${name(path)}`);
      return created;
    },
  };
  return { fs, calls };
}

/** nodeFs, keeping the path of every descriptor still open (a directory's included), in open order. */
export function descriptorFs(): { fs: StoreFs; open: string[] } {
  const open: string[] = [];
  const fs: StoreFs = {
    ...nodeFs,
    async open(path, flags, mode) {
      const file = await nodeFs.open(path, flags, mode);
      open.push(path);
      return {
        write: (data, offset, length) => file.write(data, offset, length),
        datasync: () => file.datasync(),
        sync: () => file.sync(),
        async close() {
          open.splice(open.indexOf(path), 1);
          await file.close();
        },
      };
    },
  };
  return { fs, open };
}
