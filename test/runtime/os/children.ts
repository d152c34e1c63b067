/**
 * Real child processes for the OS-primitive tests, each marked with a unique `sleep 3600.7…`
 * argument so that cleanup can prove from /proc that none outlived its test.
 *
 * Independent of the code under test on purpose: leftovers are found by reading /proc directly,
 * so a bug in proc-stat.ts cannot hide a leak.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { readUntil } from '../../helpers/streams.js';

let counter = 0;

/**
 * A sleep duration unique to this test process and call: '3600.7' + pid + 3-digit counter, so
 * test files running in parallel never claim each other's children.
 */
export function newMarker(): string {
  counter += 1;
  return `3600.7${process.pid}${String(counter).padStart(3, '0')}`;
}

/** Polls `condition` until it holds; only for facts that have no event (a /proc state). */
export async function pollUntil(condition: () => boolean, what: string, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting until ${what}`);
    await delay(10);
  }
}

/** Pids of running processes with `marker` among their arguments. Zombies have no cmdline. */
export function processesWithMarker(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${name}/cmdline`, 'latin1');
    } catch {
      continue; // exited between readdir and read
    }
    if (cmdline.split('\0').includes(marker)) found.push(Number(name));
  }
  return found;
}

/** What one test spawned; `cleanup()` goes in its afterEach. */
export class Children {
  readonly #children: ChildProcess[] = [];
  readonly #markers: string[] = [];

  /** A fresh marker that cleanup() will check for. */
  marker(): string {
    const marker = newMarker();
    this.#markers.push(marker);
    return marker;
  }

  /** `command args…` in its own process group (pgid = pid), once exec has succeeded. */
  async spawn(command: string, args: string[], options: { uid?: number; gid?: number } = {}): Promise<ChildProcess & { pid: number }> {
    // stdin is a pipe so that a test can release a blocked `read` by closing it: an event.
    const child = spawn(command, args, { detached: true, stdio: ['pipe', 'pipe', 'inherit'], ...options });
    this.#children.push(child);
    // 'spawn' fires after exec succeeded (libuv learns it from a close-on-exec pipe).
    await once(child, 'spawn');
    return child as ChildProcess & { pid: number };
  }

  /** A detached `sleep <marker>`: a group of one whose pgid is its pid. */
  async sleep(): Promise<{ pid: number; marker: string }> {
    const marker = this.marker();
    const child = await this.spawn('sleep', [marker]);
    return { pid: child.pid, marker };
  }

  /**
   * A detached shell running `script`, and the first `lines` lines it prints: scripts echo `$!`
   * so that the pids of what they forked arrive as an event rather than through polling.
   */
  async shell(script: string, lines: number): Promise<{ pid: number; output: string[]; child: ChildProcess }> {
    const child = await this.spawn('sh', ['-c', script]);
    const output =
      lines > 0
        ? await readUntil(createInterface({ input: child.stdout! }), (read) => read.length === lines, { what: `${lines} lines from: ${script}` })
        : [];
    return { pid: child.pid, output, child };
  }

  /** Kills every group spawned and fails if any marked process is still running. */
  async cleanup(): Promise<void> {
    for (const child of this.#children) {
      if (child.pid === undefined) continue;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
    // Wait for node to reap its own children, so that none is left as our zombie.
    await Promise.all(
      this.#children
        .filter((child) => child.exitCode === null && child.signalCode === null)
        .map((child) => once(child, 'exit')),
    );
    const leaked = () => this.#markers.flatMap(processesWithMarker);
    try {
      // A SIGKILLed process keeps its cmdline until the kernel has torn it down.
      await pollUntil(() => leaked().length === 0, 'no marked process remains');
    } catch {
      const pids = leaked();
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      throw new Error(`leaked processes ${pids.join(', ')} (markers ${this.#markers.join(', ')})`);
    } finally {
      this.#children.length = 0;
      this.#markers.length = 0;
    }
  }
}

/**
 * A script that forks a child and then execs `sleep <marker>`, which never reaps: once the child
 * exits it stays a zombie for as long as the sleep lives. Prints the child's pid.
 *
 * The child blocks reading the shell's stdin (fd 3: an asynchronous list's own stdin is
 * /dev/null) until releaseZombie() closes it. Exiting earlier would race the shell, which may
 * reap it before the exec. `prefix` runs the child under a command, e.g. 'setsid'.
 */
export function zombieScript(marker: string, prefix = ''): string {
  return `exec 3<&0; ${prefix} sh -c 'read line <&3' & echo $!; exec sleep ${marker} 3<&-`;
}

/** Lets zombieScript()'s child exit, once its parent is the sleep that will never reap it. */
export async function releaseZombie(parent: number, shell: ChildProcess): Promise<void> {
  const comm = () => {
    try {
      return readFileSync(`/proc/${parent}/comm`, 'utf8').trim();
    } catch {
      return undefined;
    }
  };
  await pollUntil(() => comm() === 'sleep', `pid ${parent} has exec'd sleep`);
  shell.stdin?.end();
}
