/**
 * One store per state directory: two daemons appending to one journal would interleave their
 * entries and each replay the other's as its own.
 *
 * The lock is a file `lock` holding the owner's pid and start time. It is created with link(2)
 * from a fully written private file, which fails with EEXIST when a lock exists, so a lock file is
 * never seen half written (an empty lock would look stale and be taken over from a live owner).
 * An existing lock is stale when its pid is gone, is a zombie, or now belongs to another process
 * (a different start time: pids are reused, and a daemon restarted in a container is pid 1
 * again). A stale lock is renamed aside and re-read before it is removed, so that of two daemons
 * taking over the same stale lock, the slower one does not delete the faster one's fresh lock.
 */
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { StatevisorError } from '../errors.js';
import { hasExited, readProcStat } from '../runtime/os/proc-stat.js';
import type { StoreFs } from './fs-adapter.js';
import { errorCode, fileError, noFollow, writeAll } from './fs-adapter.js';

export const lockFile = 'lock';
const attempts = 5;

interface LockOwner {
  pid: number;
  startTime?: number;
}

export class DirLock {
  private constructor(
    private readonly fs: StoreFs,
    private readonly path: string,
    private readonly content: string,
  ) {}

  static async acquire(fs: StoreFs, dir: string): Promise<DirLock> {
    const path = join(dir, lockFile);
    const content = `${JSON.stringify(currentOwner())}\n`;
    const temp = join(dir, `${lockFile}.${process.pid}.${randomUUID()}.tmp`);
    const file = await fs.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow, 0o600);
    try {
      await writeAll(file, Buffer.from(content));
    } finally {
      await file.close();
    }
    try {
      for (let attempt = 0; attempt < attempts; attempt += 1) {
        try {
          await fs.link(temp, path);
          return new DirLock(fs, path, content);
        } catch (error) {
          if (errorCode(error) !== 'EEXIST') throw error;
        }
        const held = await readText(fs, path);
        if (held === undefined) continue; // released meanwhile: try again
        const owner = parseOwner(held);
        if (owner !== undefined && isAlive(owner)) {
          throw new StatevisorError('E_UNAVAILABLE', `state dir ${dir} is in use by pid ${owner.pid}`);
        }
        await removeStale(fs, path, held);
      }
      throw new StatevisorError('E_UNAVAILABLE', `state dir ${dir}: lost the race for its lock ${attempts} times`);
    } finally {
      await fs.unlink(temp).catch(() => undefined);
    }
  }

  /** Removes the lock if it is still ours; a lock that is not ours is left to its owner. */
  async release(): Promise<void> {
    if ((await readText(this.fs, this.path)) === this.content) await this.fs.unlink(this.path);
  }
}

async function removeStale(fs: StoreFs, path: string, staleContent: string): Promise<void> {
  const aside = `${path}.stale.${randomUUID()}`;
  try {
    await fs.rename(path, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return; // someone else removed it first
    throw error;
  }
  if ((await readText(fs, aside)) !== staleContent) {
    // Between our read and our rename a competitor replaced the stale lock with its own live
    // one: put it back. (If a third one created a lock in this instant, link fails and two could
    // believe they hold the lock; that needs three daemons starting at once on a stale lock.)
    await fs.link(aside, path).catch(() => undefined);
  }
  await fs.unlink(aside);
}

function currentOwner(): LockOwner {
  const startTime = readProcStat(process.pid)?.startTimeTicks;
  return startTime === undefined ? { pid: process.pid } : { pid: process.pid, startTime };
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner> | null;
    const pid = value?.pid;
    if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid < 1) return undefined;
    const startTime = value?.startTime;
    return typeof startTime === 'number' ? { pid, startTime } : { pid };
  } catch {
    // Damaged beyond reading: no live daemon writes this (its lock appears fully written).
    return undefined;
  }
}

function isAlive(owner: LockOwner): boolean {
  if (readProcStat(process.pid) === undefined) return signalZeroFinds(owner.pid); // no /proc
  const stat = readProcStat(owner.pid);
  if (stat === undefined || hasExited(stat)) return false;
  return owner.startTime === undefined || owner.startTime === stat.startTimeTicks;
}

/** Without /proc: kill(pid, 0) tells whether the pid exists (EPERM: it does, owned by another user). */
function signalZeroFinds(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

async function readText(fs: StoreFs, path: string): Promise<string | undefined> {
  try {
    return (await fs.readFile(path)).toString('utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw fileError('read', path, error);
  }
}
