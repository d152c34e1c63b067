/**
 * Every process a test starts carries a marker in its arguments (`sleep 3600.<marker>`), so that
 * the test can prove nothing it started survived it, and kill what did.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';

/** A fresh marker: a number that no other test or user process will carry by chance. */
export function newMarker(): string {
  return `${randomInt(100_000, 999_999)}${randomInt(100_000, 999_999)}`;
}

/** The pids whose command line contains the marker (the test runner's own process excluded). */
export function pidsWithMarker(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmdline.includes(marker)) found.push(pid);
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** The running `sleep`s carrying the marker: not the shells (or join wrappers) whose scripts name it too. */
export function sleepsWithMarker(marker: string): number[] {
  return pidsWithMarker(marker).filter((pid) => {
    try {
      return procState(pid) !== 'Z' && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep';
    } catch {
      return false; // exited meanwhile
    }
  });
}

/** The state letter of /proc/<pid>/stat (R, S, Z…), or undefined once the pid is gone. */
export function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** The parent pid from /proc/<pid>/stat, or undefined once the pid is gone. */
export function procParent(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * Zombies the daemon (this process, in integration tests) failed to reap. Orphaned grandchildren
 * are reparented to PID 1 and are its to reap; on some machines PID 1 reaps only now and then.
 */
export function unreapedBy(parent: number, pids: readonly number[]): number[] {
  return pids.filter((pid) => procState(pid) === 'Z' && procParent(pid) === parent);
}

/** Kill every process carrying the marker; return how many there were. */
export function killMarked(marker: string): number {
  const pids = pidsWithMarker(marker).filter((pid) => procState(pid) !== 'Z');
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return pids.length;
}

/** Poll for a condition that has no event to await. */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  { timeoutMs = 10_000, intervalMs = 20 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * The marked processes still alive once the kernel has had a moment to finish tearing down those
 * just killed. A process leaves its cgroup (and gets its signal) before it turns zombie: a look in
 * between sees it "running" for a few microseconds after a stop that did reach it.
 */
export async function survivorsOf(marker: string, { settleMs = 2_000 } = {}): Promise<number[]> {
  const alive = () => pidsWithMarker(marker).filter((pid) => procState(pid) !== 'Z');
  const deadline = Date.now() + settleMs;
  let left = alive();
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    left = alive();
  }
  return left;
}

/** The live spawners (runtime/exec/spawner-process.ts) of the daemon of `stateDir`: none may outlive its stop. */
export function spawnersFor(stateDir: string): number[] {
  return pidsWithMarker(`spawner-process.js\0--for\0${stateDir}\0`).filter((pid) => procState(pid) !== 'Z');
}
