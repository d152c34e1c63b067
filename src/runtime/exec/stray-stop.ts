/**
 * Stopping a stray: processes a previous daemon started that no adopted run accounts for (their
 * process was deleted or is meant to be stopped, or their main process ended while no daemon
 * watched). The stop signal, then SIGKILL once the grace period is over, as a stop does.
 *
 * A stray is not our child, so nothing tells us when its pid is freed and handed to someone
 * else. Every signal is therefore aimed by identity, re-read from /proc just before it is sent:
 * a pid is signalled only while its start time is still the one seen when the stray was found,
 * and a process group only through its leader's identity (a group's id cannot be reused while
 * its leader lives, and a group born since belongs to whoever made it). What left the group
 * without its leader is signalled by its own pid and identity. Each signal sent, or withheld
 * because the pid is someone else's now, is logged.
 *
 * What a stray forks during the grace period is reached only through a group whose leader
 * still runs: a new pid outside such a group is not one we can prove is ours.
 */
import type { Clock } from '../../manager/clock.js';
import { hasExited, readProcStat } from '../os/proc-stat.js';
import { signalGroup, signalProcess } from '../os/process-group.js';

/** Who a process is: pid + start time (clock ticks since boot) survives pid reuse. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly startTime: number;
  readonly pgid: number;
}

export interface Stray {
  /** The process id (UUID) its marker names; `name` when a definition still has it. */
  readonly processId: string;
  readonly name?: string;
  /** Why it is stopped, for the log and Describe. */
  readonly reason: string;
  /** Every process of it, as found. */
  readonly members: readonly ProcessIdentity[];
  readonly signal: NodeJS.Signals;
  readonly graceMs: number;
}

export interface StrayEffects {
  /** The identity of a live pid now, or undefined when it is gone or a zombie. */
  readonly identityOf: (pid: number) => ProcessIdentity | undefined;
  /** Sends a signal to a pid, or to a process group when `group` is true. */
  readonly kill: (id: number, signal: NodeJS.Signals, group: boolean) => void;
  readonly clock: Pick<Clock, 'setTimeout'>;
  readonly log: (fields: Record<string, unknown>, message: string) => void;
}

export interface StrayOutcome {
  /** Pids (or group leaders) that got the stop signal. */
  readonly signalled: number[];
  /** Those still there at the end of the grace period, which got SIGKILL. */
  readonly killed: number[];
  /** Pids that were another process by the time a signal was due: never signalled. */
  readonly reused: number[];
}

/** How often a stray is checked for being gone, during its grace period and after SIGKILL. */
export const strayPollMs = 50;
/** How long after SIGKILL a stray is waited for before the stop is reported done anyway. */
const afterKillMs = 5_000;

export function liveIdentity(pid: number): ProcessIdentity | undefined {
  const stat = readProcStat(pid);
  if (stat === undefined || hasExited(stat)) return undefined;
  return { pid, startTime: stat.startTimeTicks, pgid: stat.pgid };
}

export function strayEffects(clock: Pick<Clock, 'setTimeout'>, log: StrayEffects['log']): StrayEffects {
  return {
    identityOf: liveIdentity,
    kill: (id, signal, group) => void (group ? signalGroup(id, signal) : signalProcess(id, signal)),
    clock,
    log,
  };
}

/** Stops `stray`; resolves once every member is gone, or a while after SIGKILL if one lingers. */
export async function stopStray(stray: Stray, effects: StrayEffects): Promise<StrayOutcome> {
  const reused = new Set<number>();
  const isOurs = (member: ProcessIdentity): boolean => {
    const now = effects.identityOf(member.pid);
    if (now === undefined) return false;
    if (now.startTime === member.startTime) return true;
    if (!reused.has(member.pid)) {
      reused.add(member.pid);
      effects.log(
        { pid: member.pid, processId: stray.processId, process: stray.name, reason: stray.reason },
        'recovery: no signal sent, the pid belongs to another process now',
      );
    }
    return false;
  };
  const pass = (signal: NodeJS.Signals): number[] => {
    const sent: number[] = [];
    const ours = stray.members.filter(isOurs);
    // Leaders first: their groups are signalled whole, and their members not signalled twice.
    const groups = new Set(ours.filter((m) => m.pid === m.pgid).map((m) => m.pid));
    for (const member of ours) {
      const leader = member.pid === member.pgid;
      if (!leader && groups.has(effects.identityOf(member.pid)?.pgid ?? -1)) continue;
      effects.kill(member.pid, signal, leader);
      sent.push(member.pid);
      effects.log(
        { pid: member.pid, ...(leader && { pgid: member.pid }), processId: stray.processId, process: stray.name, signal, reason: stray.reason },
        'recovery: stopping a stray',
      );
    }
    return sent;
  };
  const gone = () => !stray.members.some(isOurs);
  const waitUntilGone = (ms: number) =>
    new Promise<boolean>((resolve) => {
      let left = ms;
      const check = () => {
        if (gone()) return resolve(true);
        if (left <= 0) return resolve(false);
        left -= strayPollMs;
        effects.clock.setTimeout(check, strayPollMs);
      };
      check();
    });

  const signalled = pass(stray.signal);
  if (await waitUntilGone(stray.graceMs)) return { signalled, killed: [], reused: [...reused] };
  const killed = pass('SIGKILL');
  await waitUntilGone(afterKillMs);
  return { signalled, killed, reused: [...reused] };
}
