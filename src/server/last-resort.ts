/**
 * The daemon's last resort. An exception that no handler caught, or a rejection that nobody
 * awaited, is logged with its stack and counted, and the daemon keeps running. Node's default —
 * print and exit — would turn one bug in one code path into the loss of the supervisor of every
 * process; handlers already answer their own failures (guarded-handlers.ts), so what arrives
 * here is a bug elsewhere, and a daemon that stays up and says so is the lesser harm. The count
 * is GetStatus's `uncaught_errors` and a line of `statevisor status`.
 *
 * Installed by `statevisor daemon` (removed again if the daemon fails to start, which still ends
 * the process), never by an embedding or the in-process test daemon: the process is theirs.
 */
import type { Logger } from '../manager/logger.js';

export class LastResort {
  #count = 0;

  /** Errors that reached the last resort since the daemon started. */
  get count(): number {
    return this.#count;
  }

  /** Handle `target`'s (the process's) uncaught errors from now on; returns the undo. */
  install(target: NodeJS.EventEmitter, logger: Logger): () => void {
    const record = (error: unknown, origin: string): void => {
      this.#count += 1;
      const err = error instanceof Error ? error : new Error(`a non-Error was thrown: ${String(error)}`);
      logger.error({ err, origin, uncaughtErrors: this.#count }, 'uncaught error; the daemon keeps running');
    };
    const onException = (error: unknown, origin: string) => record(error, origin);
    const onRejection = (reason: unknown) => record(reason, 'unhandledRejection');
    target.on('uncaughtException', onException);
    target.on('unhandledRejection', onRejection);
    return () => {
      target.off('uncaughtException', onException);
      target.off('unhandledRejection', onRejection);
    };
  }
}
