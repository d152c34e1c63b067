/**
 * `runtime_directory`, as systemd's RuntimeDirectory=: a directory made for each run before its
 * start-pre hooks, owned by the process's user and group with `runtime_directory_mode`, named to
 * the child (and its hooks) in $RUNTIME_DIRECTORY, and removed with everything in it after the
 * stop, once the stop-post hooks have run.
 *
 * Its root is /run when the daemon runs as root, else $XDG_RUNTIME_DIR, else `runtime/` in the
 * daemon's state dir (a user session without XDG_RUNTIME_DIR has no per-user tmpfs to use). The
 * spec's path is relative without `..` (validated), and each of its parents below the root must be
 * a real directory, not a symlink: a run cannot be made to create, chown or remove a directory
 * elsewhere.
 */
import { lstat, mkdir, chmod, chown, rm } from 'node:fs/promises';
import path from 'node:path';
import { StatevisorError } from '../../errors.js';
import type { ProcessSpec } from '../../spec/types.js';

/** The variable that names the directory to the child and its hooks. */
export const runtimeDirectoryEnv = 'RUNTIME_DIRECTORY';

/** Where runtime directories are made on this daemon. */
export function runtimeRootOf(env: NodeJS.ProcessEnv, uid: number, stateDir: string): string {
  if (uid === 0) return '/run';
  if (env.XDG_RUNTIME_DIR) return env.XDG_RUNTIME_DIR;
  return path.join(stateDir, 'runtime');
}

/** The spec's runtime directory under `root`, or undefined when it names none. */
export function runtimeDirectoryOf(spec: ProcessSpec, root: string): string | undefined {
  if (spec.runtimeDirectory === undefined) return undefined;
  const dir = path.resolve(root, spec.runtimeDirectory);
  const relative = path.relative(root, dir);
  // Validation already refuses `..` and absolute paths; this is the last word before a mkdir as root.
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new StatevisorError('E_START_FAILED', `runtime_directory ${spec.runtimeDirectory}: escapes ${root}`);
  }
  return dir;
}

/** `{ RUNTIME_DIRECTORY: dir }` for the environment of the child and its hooks, or nothing. */
export function runtimeDirectoryVariables(spec: ProcessSpec, root: string): Record<string, string> {
  const dir = runtimeDirectoryOf(spec, root);
  return dir === undefined ? {} : { [runtimeDirectoryEnv]: dir };
}

/** Refuses a parent below the root that is a symlink (or not a directory). */
async function checkParents(root: string, dir: string): Promise<void> {
  let at = root;
  for (const segment of path.relative(root, path.dirname(dir)).split(path.sep).filter(Boolean)) {
    at = path.join(at, segment);
    const stat = await lstat(at).catch(() => undefined);
    if (stat !== undefined && !stat.isDirectory()) throw new Error(`${at} is not a directory (a symlink is not followed)`);
  }
}

/**
 * Makes the directory (and its missing parents, root-owned 0755 as systemd does) and gives it to
 * `owner` with `mode`. A directory left by an earlier run is taken over as it is, re-owned.
 */
export async function createRuntimeDirectory(
  root: string,
  dir: string,
  mode: number,
  owner: { uid?: number; gid?: number },
): Promise<void> {
  try {
    await mkdir(root, { recursive: true, mode: 0o755 });
    await checkParents(root, dir);
    await mkdir(path.dirname(dir), { recursive: true, mode: 0o755 });
    await mkdir(dir, { mode }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    const stat = await lstat(dir);
    if (!stat.isDirectory()) throw new Error(`${dir} exists and is not a directory`);
    if (owner.uid !== undefined || owner.gid !== undefined) await chown(dir, owner.uid ?? -1, owner.gid ?? -1);
    // After the chown (which may clear set-id bits) and regardless of the umask that mkdir applied.
    await chmod(dir, mode);
  } catch (error) {
    throw new StatevisorError('E_START_FAILED', `runtime_directory ${dir}: ${(error as Error).message}`, { cause: error });
  }
}

/** Removes the directory and everything in it; one that is already gone is fine. */
export async function removeRuntimeDirectory(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
