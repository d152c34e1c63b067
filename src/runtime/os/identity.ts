/**
 * Resolving a spec's `user:` and `group:` to ids, read straight from /etc/passwd and /etc/group
 * (files only: Node has no getpwnam, and the daemon must not depend on NSS modules being sane).
 *
 * A numeric id that the file does not list is accepted, as by chown(1) and systemd: containers
 * and images often run as an id with no account. Names must exist.
 */
import { readFileSync } from 'node:fs';
import { StatevisorError } from '../../errors.js';

export interface UserIdentity {
  readonly uid: number;
  readonly gid: number;
  readonly name: string;
  readonly home: string;
  readonly shell: string;
}

export interface GroupIdentity {
  readonly gid: number;
  readonly name: string;
}

/** Shell of a numeric uid without an account: such a user has no login, so none is implied. */
export const noLoginShell = '/usr/sbin/nologin';

// (uid_t)-1 means "leave unchanged" to setuid/chown, so it is never a real id.
const maxId = 0xffff_fffe;

/** The account of `nameOrUid` (a user name or a numeric uid) in `passwdPath`. */
export function resolveUser(nameOrUid: string, passwdPath = '/etc/passwd'): UserIdentity {
  const id = parseId(nameOrUid, 'user');
  const entries = readDatabase(passwdPath);
  for (const fields of entries) {
    // name:password:uid:gid:gecos:home:shell
    if (fields.length < 7) continue;
    const [name, , uidText, gidText, , home, shell] = fields as [string, string, string, string, string, string, string];
    const uid = toId(uidText);
    const gid = toId(gidText);
    if (uid === undefined || gid === undefined) continue;
    if (id === undefined ? name === nameOrUid : uid === id) return { uid, gid, name, home, shell };
  }
  if (id !== undefined) return { uid: id, gid: id, name: String(id), home: '/', shell: noLoginShell };
  throw new StatevisorError('E_START_FAILED', `user '${nameOrUid}' not found in ${passwdPath}`);
}

/**
 * Whether `user` is an account in the passwd file, rather than a bare numeric uid that
 * resolveUser accepted without one (its name is the number itself, which no account's can be).
 */
export function hasAccount(user: UserIdentity): boolean {
  return !(user.name === String(user.uid) && user.home === '/' && user.shell === noLoginShell);
}

/** The group of `nameOrGid` (a group name or a numeric gid) in `groupPath`. */
export function resolveGroup(nameOrGid: string, groupPath = '/etc/group'): GroupIdentity {
  const id = parseId(nameOrGid, 'group');
  for (const fields of readDatabase(groupPath)) {
    // name:password:gid:members
    if (fields.length < 3) continue;
    const [name, , gidText] = fields as [string, string, string];
    const gid = toId(gidText);
    if (gid === undefined) continue;
    if (id === undefined ? name === nameOrGid : gid === id) return { gid, name };
  }
  if (id !== undefined) return { gid: id, name: String(id) };
  throw new StatevisorError('E_START_FAILED', `group '${nameOrGid}' not found in ${groupPath}`);
}

/** The id when `value` is numeric, undefined when it is a name; rejects what is neither. */
function parseId(value: string, kind: 'user' | 'group'): number | undefined {
  if (/^[0-9]+$/.test(value)) {
    const id = toId(value);
    if (id === undefined) {
      throw new StatevisorError('E_START_FAILED', `${kind} id '${value}' is out of range (0..${maxId})`);
    }
    return id;
  }
  // ':' and newlines cannot occur in a name and would only match a torn line.
  if (value === '' || /[:\n]/.test(value)) {
    throw new StatevisorError('E_START_FAILED', `'${value}' is not a valid ${kind} name`);
  }
  return undefined;
}

function toId(text: string): number | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  const id = Number(text);
  return id <= maxId ? id : undefined;
}

/**
 * The lines of a colon-separated account file, split into fields. Comments, blank lines and NIS
 * compat entries ('+name', '-name', '+') are skipped: they are not accounts. A missing file is
 * an empty database, so numeric ids still resolve in images that ship none.
 */
function readDatabase(path: string): string[][] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new StatevisorError('E_START_FAILED', `cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  const entries: string[][] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#') || line.startsWith('+') || line.startsWith('-')) continue;
    entries.push(line.split(':'));
  }
  return entries;
}
