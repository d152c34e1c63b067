/**
 * Reading and writing cgroup and /proc control files.
 *
 * These are not ordinary files: a write is a request the kernel may refuse (EINVAL for a value it
 * does not take, EBUSY for a memory limit below what the group already uses), and a read races
 * the processes it describes (ENOENT or ESRCH once a /proc/<pid> is gone). Refusals become coded
 * errors naming the file and the value; vanishing is an answer (undefined), not a failure.
 */
import { close, open, read } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { StatevisorError, type ErrorCode } from '../../errors.js';

/** The errno code of a failed fs call ('ENOENT', 'EBUSY'…), if it has one. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A /proc or cgroup entry that went away while we looked: its process exited, its group was removed. */
export function isVanished(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ENOENT' || code === 'ESRCH';
}

function refusal(code: string | undefined): ErrorCode {
  if (code === 'EINVAL' || code === 'ERANGE') return 'E_INVALID_ARGUMENT';
  // v1 refuses a memory limit below current usage with EBUSY; rmdir of a populated group too.
  if (code === 'EBUSY') return 'E_INVALID_STATE';
  return 'E_INTERNAL';
}

/** Writes one value to a control file; a refusal throws a coded error naming both. */
export async function writeControl(path: string, value: string | number): Promise<void> {
  try {
    await writeFile(path, `${value}\n`);
  } catch (error) {
    const code = errnoCode(error);
    throw new StatevisorError(refusal(code), `cannot write '${value}' to ${path}: ${code ?? String(error)}`, {
      cause: error,
    });
  }
}

const chunkSize = 4096;

/**
 * The text of a small kernel file, or undefined if it (or its process) is gone; other errors
 * reject as they are. A bare open/read/close: procfs and cgroupfs report size 0, so readFile()
 * would add an fstat and a read that only finds EOF. A short read is the end (seq_file fills the
 * buffer while records remain); only a full one is followed by another.
 */
export function readText(path: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    open(path, 'r', (openError, fd) => {
      if (openError) return isVanished(openError) ? resolve(undefined) : reject(openError);
      const chunks: Buffer[] = [];
      const finish = (error: NodeJS.ErrnoException | null) =>
        close(fd, () => {
          if (error) return isVanished(error) ? resolve(undefined) : reject(error);
          resolve(Buffer.concat(chunks).toString('latin1'));
        });
      const next = (position: number) => {
        const buffer = Buffer.allocUnsafe(chunkSize);
        read(fd, buffer, 0, chunkSize, position, (readError, bytes) => {
          if (readError) return finish(readError);
          if (bytes > 0) chunks.push(buffer.subarray(0, bytes));
          if (bytes === chunkSize) return next(position + bytes);
          finish(null);
        });
      };
      next(0);
    });
  });
}

/** The text of a control file, or undefined when it does not exist (or its process vanished). */
export async function readControl(path: string): Promise<string | undefined> {
  try {
    return await readText(path);
  } catch (error) {
    throw new StatevisorError('E_INTERNAL', `cannot read ${path}: ${errnoCode(error) ?? String(error)}`, {
      cause: error,
    });
  }
}

/** `key value` lines (memory.oom_control, memory.events, cpu.stat, /proc/<pid>/io) as a map. */
export function parseKeyedValues(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([\w.]+):?\s+(-?\d+)\s*$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) values.set(match[1], Number(match[2]));
  }
  return values;
}

/** The pids listed in a cgroup.procs file (one per line). */
export function parsePidList(text: string): number[] {
  const pids: number[] = [];
  for (const line of text.split('\n')) {
    if (line !== '') pids.push(Number(line));
  }
  return pids;
}

/** Whether a control file (or group directory) is there: controllers differ in what they offer. */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
