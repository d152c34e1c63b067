/**
 * Shared by the log tests: a temp dir per test, and real writer processes that hold an O_APPEND
 * descriptor as their stdout, the way the exec runtime hands log files to children.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readdirSync, readlinkSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newMarker, pidsWithMarker, waitUntil } from '../../helpers/leaks.js';

export { waitUntil };

/** A fresh temp dir; `remove()` goes in the test's after hook. */
export async function tempDir(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'statevisor-logs-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** `sh -c` writers, each in its own group and carrying this test's marker as `$0`. */
export class Writers {
  readonly #marker = `statevisor-logs-${newMarker()}`;
  readonly #children: ChildProcess[] = [];

  /** Starts `script` with `stdout` (a descriptor the test opened) as its standard output. */
  async start(script: string, stdout: number, stdin: 'pipe' | 'ignore' = 'ignore'): Promise<ChildProcess> {
    const child = spawn('sh', ['-c', script, this.#marker], { detached: true, stdio: [stdin, stdout, 'inherit'] });
    this.#children.push(child);
    await once(child, 'spawn');
    return child;
  }

  /** Kills every group started and fails if a marked process outlived it. */
  async cleanup(): Promise<void> {
    for (const child of this.#children) {
      if (child.pid === undefined || exitedAlready(child)) continue;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
    await Promise.all(this.#children.map(exited));
    this.#children.length = 0;
    // A SIGKILLed process keeps its cmdline until the kernel has torn it down.
    await waitUntil('no writer outlives its test', () => pidsWithMarker(this.#marker).length === 0);
  }
}

function exitedAlready(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves once `child` has exited (at once if it already has). */
export async function exited(child: ChildProcess): Promise<void> {
  if (!exitedAlready(child)) await once(child, 'exit');
}

/** Everything in `files`, in order: a rotated set read oldest first. */
export async function concatenated(files: readonly string[]): Promise<string> {
  const parts = await Promise.all(files.map((file) => readFile(file, 'utf8')));
  return parts.join('');
}

/** Descriptors this process holds on `file`. */
export function descriptorsOn(file: string): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === file) count += 1;
    } catch {
      // the descriptor readdir itself used, now closed
    }
  }
  return count;
}

/** inotify watches this process holds (libuv keeps one inotify descriptor per loop). */
export function inotifyWatches(): number {
  let watches = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // the descriptor readdir itself used, now closed
    }
    if (target !== 'anon_inode:inotify') continue;
    watches += readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('inotify wd:')).length;
  }
  return watches;
}
