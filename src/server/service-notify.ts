/**
 * Telling systemd how the daemon's start and stop go (sd_notify): READY=1 once the daemon answers
 * on its socket, STOPPING=1 when a stop begins. systemd sets $NOTIFY_SOCKET for a Type=notify
 * unit; without it this does nothing.
 *
 * The protocol is one datagram on a Unix socket, which Node cannot send (net has stream sockets
 * only, dgram has UDP only). Rather than a native module, the daemon runs systemd-notify(1), from
 * the systemd package that is on every machine where this matters. Given --pid, run as root, it
 * sends the message with the daemon's pid in its credentials, so systemd counts it as the main
 * process's even after the helper has exited; the unit still says NotifyAccess=all, for a daemon
 * that is not root, whose helper can only send as itself. The helper also waits until systemd has
 * read the message (its barrier), with a deadline here so that a stuck one delays nothing long.
 *
 * RELOADING=1 is not sent: `systemctl reload` runs ExecReload=statevisor reload, and systemd shows
 * the unit reloading until that command returns, which is when the reload is done.
 */
import { execFile } from 'node:child_process';
import type { Logger } from '../manager/logger.js';

export interface ServiceNotifier {
  ready(): Promise<void>;
  stopping(): Promise<void>;
}

export interface NotifierOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly pid: number;
  readonly logger: Logger;
  /** The helper; tests point it elsewhere. */
  readonly helper?: string;
  readonly timeoutMs?: number;
}

export function serviceNotifier(options: NotifierOptions): ServiceNotifier {
  const { env, pid, logger, helper = 'systemd-notify', timeoutMs = 5_000 } = options;
  const socket = env.NOTIFY_SOCKET;
  const send = (state: string): Promise<void> => {
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => {
      execFile(helper, [`--pid=${pid}`, state], { env, timeout: timeoutMs }, (error, _stdout, stderr) => {
        if (error === null) logger.debug({ state, socket }, 'told the service manager');
        else if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          logger.error(
            { state, helper },
            `${helper} not found: the service manager is not told ${state} (a Type=notify unit's start times out); install systemd, or write the unit with Type=simple`,
          );
        } else logger.warn({ state, socket, reason: stderr.trim() || error.message }, 'the service manager was not told');
        resolve();
      });
    });
  };
  return { ready: () => send('READY=1'), stopping: () => send('STOPPING=1') };
}
