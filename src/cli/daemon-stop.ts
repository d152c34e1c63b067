/**
 * `statevisor daemon --stop`: SIGTERM to the daemon answering on the socket, as a service manager
 * would send it, then wait until it is gone. The daemon stops every process within its grace
 * period before it exits, so the wait is a stop's (src/deadlines.ts), not a call's.
 *
 * The pid is the one the daemon reports (GetStatus), and it is signalled only if that pid is a
 * `statevisor daemon` in this pid namespace: a daemon reached through a socket shared from a
 * container reports a pid that here is some other process, which must not get the SIGTERM.
 * Nothing answering is not an error: there is nothing to stop (exit 0), as with `systemctl stop`.
 */
import { readFileSync } from 'node:fs';
import { createClient, type StatevisorClient } from '../client/index.js';
import { stopDeadlineMs } from '../deadlines.js';
import { StatevisorError } from '../errors.js';
import { daemonLogOf, runningDaemon, type DaemonPlace } from './daemon-place.js';
import { printLine } from './output.js';

function commandLineOf(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((arg) => arg !== '');
  } catch {
    return undefined;
  }
}

/** Gone, or a zombie: a daemon whose parent (an init that reaps late) has not collected it is stopped all the same. */
function gone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

export async function stopDaemon(control: DaemonPlace): Promise<number> {
  const client = createClient({ socket: control.socket });
  try {
    const running = await runningDaemon(client);
    if (running === undefined) {
      printLine(`statevisor: no daemon answers on ${control.socket}: nothing to stop`);
      return 0;
    }
    const { pid } = running;
    const args = commandLineOf(pid);
    if (args === undefined || !args.includes('daemon') || !args.some((arg) => /statevisor(\.js)?$/.test(arg))) {
      throw new StatevisorError(
        'E_INVALID_STATE',
        `the daemon on ${control.socket} reports pid ${pid}, which here is ${args === undefined ? 'no process' : `'${args.join(' ')}'`}, not a statevisor daemon (another pid namespace, or an embedded daemon): not signalled`,
      );
    }
    try {
      process.kill(pid, 'SIGTERM');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw new StatevisorError('E_INVALID_STATE', `cannot signal the daemon (pid ${pid}): ${(error as Error).message}`);
    }
    const waitMs = stopDeadlineMs();
    if (!(await untilQuiet(client, pid, waitMs))) {
      throw new StatevisorError('E_DEADLINE_EXCEEDED', `the daemon (pid ${pid}) is still stopping after ${waitMs / 1000} s; see ${daemonLogOf(running.stateDir)}`);
    }
    printLine(`statevisor: daemon stopped (pid ${pid})`);
    return 0;
  } finally {
    client.close();
  }
}

/** The pid is gone and nothing answers on the socket any more. */
async function untilQuiet(client: StatevisorClient, pid: number, waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    if (gone(pid) && (await runningDaemon(client)) === undefined) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
