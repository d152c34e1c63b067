/**
 * Running a program as a user with that user's supplementary groups. Node's spawn() switches
 * uid and gid through libuv, which calls setgroups(0, NULL): the child has no supplementary
 * groups at all, so a service that reads a file through a secondary group (ssl-cert, docker,
 * a shared data group) is refused. Node has no initgroups for a child, so the child is started
 * as root through util-linux's setpriv(1), which calls initgroups(3) for the user, then
 * setresgid/setresuid, then execs the program: the same pid, and nothing of root left (real,
 * effective and saved ids all become the user's).
 *
 * With `group:` the primary gid is that group and the supplementary groups are still the user's.
 * A numeric uid with no account has no groups to take: `--clear-groups`, as libuv does.
 * Without setpriv on the machine, spawn() switches as before, and Describe says the groups
 * are not set.
 */
import { accessSync, constants } from 'node:fs';
import { hasAccount, type UserIdentity } from './identity.js';

const candidates = ['/usr/bin/setpriv', '/bin/setpriv', '/usr/sbin/setpriv', '/sbin/setpriv'];

/** The setpriv executable, looked for once when the daemon starts; undefined when absent. */
export function findSetpriv(paths: readonly string[] = candidates): string | undefined {
  return paths.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The command line that runs `command args…` as `user` (primary group `gid`) with the user's groups. */
export function asUser(
  setpriv: string,
  user: UserIdentity,
  gid: number,
  command: string,
  args: readonly string[],
): { command: string; args: string[] } {
  const groups = hasAccount(user) ? '--init-groups' : '--clear-groups';
  return { command: setpriv, args: ['--reuid', String(user.uid), '--regid', String(gid), groups, '--', command, ...args] };
}
