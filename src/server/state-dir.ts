/**
 * The directories the daemon trusts: its state dir and the socket's directory. A root daemon
 * writes journals and log files in its state dir; if anyone else can write there, they can plant
 * a symbolic link (`logs/web.stdout.log -> /root/secret`) and have root write through it. So at
 * start the daemon refuses, with the path and the fix:
 *
 * - a state dir, or any directory below it, that is a symbolic link, is not owned by the daemon's
 *   uid, or is writable by group or others (the whole tree is walked, directories only: the files
 *   in it are opened with O_NOFOLLOW, so a planted link is refused there instead of followed);
 * - a socket directory owned by someone other than the daemon's uid or root, or writable by
 *   others without the sticky bit (in a sticky directory such as /tmp, only the socket's owner may
 *   remove or rename it, so a shared /tmp is fine; without it, anyone who can write there could
 *   replace the socket with their own and receive the clients' calls).
 *
 * What is missing is created 0700. Parents of the state dir are not checked: choosing where the
 * state dir lives is the administrator's decision, as for any service's files.
 */
import { lstatSync, mkdirSync, readdirSync, readlinkSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { StatevisorError } from '../errors.js';

/** The directories the daemon uses in its state dir; it creates `logs/`, the store `store/`. */
const usedDirectories = ['logs', 'store'];
const createdHere = new Set(['logs']);

const groupOrOthersWrite = 0o022;
const sticky = 0o1000;

function currentUid(): number {
  return process.getuid?.() ?? 0;
}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

function writableBy(mode: number): string {
  const who = [mode & 0o020 ? 'group' : '', mode & 0o002 ? 'others' : ''].filter(Boolean);
  return who.join(' and ');
}

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function unsafe(what: string, message: string): StatevisorError {
  return new StatevisorError('E_INVALID_ARGUMENT', `unsafe ${what}: ${message}`);
}

/** Refuses `dir` unless it is a real directory, owned by `uid`, writable by no one else. */
function checkTrusted(dir: string, stats: Stats, uid: number): void {
  const what = 'state dir';
  if (stats.isSymbolicLink()) {
    throw unsafe(
      what,
      `${dir} is a symbolic link (to ${readlinkSync(dir)}); the daemon follows no links in its state dir; ` +
        `fix: remove the link and give the real directory (or let the daemon create it)`,
    );
  }
  if (!stats.isDirectory()) throw unsafe(what, `${dir} is not a directory; fix: move it away and let the daemon create the directory`);
  const problems: string[] = [];
  const fixes: string[] = [];
  if (stats.uid !== uid) {
    problems.push(`is owned by uid ${stats.uid}, not by uid ${uid} that runs the daemon`);
    fixes.push(`chown ${uid} ${dir}`);
  }
  if ((stats.mode & groupOrOthersWrite) !== 0) {
    problems.push(`has mode ${octal(stats.mode)} (writable by ${writableBy(stats.mode)})`);
    fixes.push(`chmod 700 ${dir}`);
  }
  if (problems.length === 0) return;
  throw unsafe(what, `${dir} ${problems.join(' and ')}, so others could plant links in it; fix: ${fixes.join(' && ')}`);
}

function checkTree(dir: string, uid: number): void {
  checkTrusted(dir, lstatSync(dir), uid);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // Dirent types come from lstat: a link to a directory is a link, never descended.
    if (entry.isDirectory()) checkTree(path.join(dir, entry.name), uid);
  }
}

/**
 * Creates the state dir and the directories the daemon uses in it (0700) when missing, then
 * refuses the tree if anyone but the daemon's uid could change it. Throws E_INVALID_ARGUMENT.
 */
export function prepareStateDir(stateDir: string, uid = currentUid()): void {
  const stats = lstatOrUndefined(stateDir);
  if (stats === undefined) mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  else checkTrusted(stateDir, stats, uid);
  for (const name of usedDirectories) {
    const dir = path.join(stateDir, name);
    const found = lstatOrUndefined(dir);
    // The walk below does not look at links; these names must be directories, not links.
    if (found !== undefined) checkTrusted(dir, found, uid);
    else if (createdHere.has(name)) mkdirSync(dir, { mode: 0o700 });
  }
  checkTree(stateDir, uid);
}

/**
 * Refuses a socket directory that others could replace the socket in. A missing one is fine:
 * the listener creates it 0700.
 */
export function checkSocketDir(socket: string, uid = currentUid()): void {
  const dir = path.dirname(socket);
  let stats: Stats;
  try {
    stats = statSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const what = 'socket directory';
  if (!stats.isDirectory()) throw unsafe(what, `${dir} is not a directory`);
  if (stats.uid !== uid && stats.uid !== 0) {
    throw unsafe(what, `${dir} is owned by uid ${stats.uid}, neither root nor uid ${uid} that runs the daemon; fix: chown ${uid} ${dir}, or --socket elsewhere`);
  }
  if ((stats.mode & groupOrOthersWrite) !== 0 && (stats.mode & sticky) === 0) {
    throw unsafe(
      what,
      `${dir} has mode ${octal(stats.mode)} (writable by ${writableBy(stats.mode)}, without the sticky bit), so others could replace the socket; ` +
        `fix: chmod 700 ${dir}, or --socket in a directory only you can write`,
    );
  }
}
