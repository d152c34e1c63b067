/**
 * Pidfiles: the one a forking daemon writes for us to read, and the one the daemon writes for the
 * main pid of any other run. Both are paths the spec names (absolute, validated), and both are
 * handled without trusting what is at the path: a workload running as another user may have put
 * a symlink, a FIFO or a huge file there, so a read opens with O_NOFOLLOW and O_NONBLOCK, takes
 * a regular file only and at most a few bytes, and a write replaces the path by rename (which
 * never follows a symlink) rather than opening it.
 */
import { closeSync, constants, fstatSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/** More than any pid line needs ("4194304\n"); a longer file is not a pidfile. */
const maxPidfileBytes = 64;

/** The pid a pidfile names, or why its text names none (quoted, as the message shows it). */
export type PidfileReading = { readonly pid: number } | { readonly problem: string };

/**
 * systemd's reading: the first line, surrounding whitespace ignored, a positive decimal integer
 * within the kernel's pid range. Anything else is refused with what was there.
 */
export function parsePidfile(text: string): PidfileReading {
  const line = text.split('\n')[0]!.trim();
  if (text.trim() === '') return { problem: 'it is empty' };
  if (!/^[0-9]+$/.test(line)) return { problem: `it holds ${quoted(text)}, not a pid` };
  const pid = Number(line);
  // 2^22 is the kernel's pid_max ceiling (PID_MAX_LIMIT on 64-bit).
  if (!Number.isSafeInteger(pid) || pid < 1 || pid > 4_194_304) return { problem: `it holds ${quoted(text)}, not a pid (1 to 4194304)` };
  return { pid };
}

/** A short, printable rendering of what a file held: it goes into messages and logs. */
function quoted(text: string): string {
  const shown = text.length > 32 ? `${text.slice(0, 32)}…` : text;
  return JSON.stringify(shown);
}

/** Reads the pidfile at `file`: its pid, or why there is none ("it does not exist", "it is empty"…). */
export function readPidfile(file: string): PidfileReading {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO put at the path must not hang the daemon in open().
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { problem: 'it does not exist' };
    if (code === 'ELOOP') return { problem: 'it is a symlink, which is not followed' };
    return { problem: `it cannot be read (${code ?? String(error)})` };
  }
  try {
    if (!fstatSync(fd).isFile()) return { problem: 'it is not a regular file' };
    const buffer = Buffer.alloc(maxPidfileBytes + 1);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    if (length > maxPidfileBytes) return { problem: `it holds more than ${maxPidfileBytes} bytes, not a pid` };
    return parsePidfile(buffer.subarray(0, length).toString('latin1'));
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `pid` to `file` atomically: a reader sees the old file or the whole new one, never a
 * half-written line. No fsync: a pidfile describes a running process, and after a crash of the
 * machine that process is gone anyway.
 */
export function writePidfile(file: string, pid: number): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  // O_EXCL | O_NOFOLLOW: never write through something another user put at the temp path.
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    writeSync(fd, `${pid}\n`);
  } catch (error) {
    closeSync(fd);
    unlinkQuietly(temp);
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, file);
  } catch (error) {
    unlinkQuietly(temp);
    throw error;
  }
}

/** Removes the pidfile if it still names `pid` (a newer run, or another program, may own it now). */
export function removePidfile(file: string, pid?: number): void {
  if (pid !== undefined) {
    const reading = readPidfile(file);
    if (!('pid' in reading) || reading.pid !== pid) return;
  }
  unlinkQuietly(file);
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone (the workload removed it itself), or never written.
  }
}
