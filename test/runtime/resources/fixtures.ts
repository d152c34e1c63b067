/**
 * Shared helpers for the resource tests: marked children that are killed by pid afterwards,
 * a per-test cgroup subtree removed afterwards, and fake cgroup trees in temp dirs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { killMarked, newMarker, pidsWithMarker, waitUntil } from '../../helpers/leaks.js';
import { removeCgroupSubtree, type CgroupLayout } from '../../../src/runtime/resources/index.js';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Children of one test, each carrying `marker` somewhere in its command line. */
export class MarkedChildren {
  readonly marker = newMarker();
  readonly #children: ChildProcess[] = [];

  /** `sleep 3600.<marker>`: a sleeper that this set will recognise and kill. */
  get sleepArg(): string {
    return `3600.${this.marker}`;
  }

  /** Spawns in a new session (as the daemon does), stdout ignored, stderr collected. */
  spawn(
    command: string,
    args: readonly string[],
    user: { uid?: number; gid?: number } = {},
  ): { child: ChildProcess; exit: Promise<Exit>; stderr: () => string } {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'], cwd: '/', ...user });
    this.#children.push(child);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exit = once(child, 'exit').then(([code, signal]) => ({ code, signal }) as Exit);
    return { child, exit, stderr: () => stderr };
  }

  /** Kills every marked process and direct child by pid, then waits until none is left running. */
  async cleanup(): Promise<void> {
    for (const child of this.#children) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    killMarked(this.marker);
    await waitUntil('no marked process is left', () => {
      killMarked(this.marker);
      return pidsWithMarker(this.marker).length === 0;
    });
  }
}

/** A cgroup subtree name unique to one test file run. */
export function testSubtree(): string {
  return `statevisor-test-${newMarker()}`;
}

/** Removes a test's subtree from every hierarchy; throws if any directory stayed. */
export async function removeTestSubtree(layout: CgroupLayout, subtree: string): Promise<void> {
  const report = await removeCgroupSubtree(layout, subtree);
  if (report.failed.length > 0) throw new Error(`cgroup dirs left behind: ${JSON.stringify(report.failed)}`);
}

/** A temp dir holding files (path → content) and symlinks (path → '->target'). */
export async function fakeTree(files: Record<string, string>): Promise<{ root: string; cleanup: () => Promise<void> }> {
  // realpath: detection reports mounts resolved, and tmpdir() may sit behind a symlink.
  const root = await realpath(await mkdtemp(join(tmpdir(), 'statevisor-cgroup-')));
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    await mkdir(dirname(full), { recursive: true });
    if (content.startsWith('->')) await symlink(content.slice(2), full);
    else await writeFile(full, content);
  }
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}
