/**
 * Whether a run that was asked to start has started, as `systemctl start` judges it: one pure
 * decision on the state the daemon reports, pinned by a table test.
 *
 * A service (type simple) has started once it is RUNNING: spawned, or with a health check,
 * healthy (the daemon reports STARTING until then). A one-shot job has started well once it has
 * EXITED (the daemon's word for a run that ended in success). BACKOFF, FAILED and STOPPED mean it
 * did not: a failed start waiting to be retried is still a failed start, since the user asked for
 * it to start and it did not; STOPPED is someone else's stop. Anything else is on its way.
 */
import type { ProcessState } from '../client/index.js';
import type { ProcessType } from '../spec/index.js';

export type StartVerdict = 'waiting' | 'started' | 'failed';

export function startVerdict(state: ProcessState, type: ProcessType): StartVerdict {
  switch (state) {
    case 'RUNNING':
      return type === 'oneshot' ? 'waiting' : 'started';
    case 'EXITED':
      return 'started';
    case 'BACKOFF':
    case 'FAILED':
    case 'STOPPED':
      return 'failed';
    default:
      return 'waiting';
  }
}
