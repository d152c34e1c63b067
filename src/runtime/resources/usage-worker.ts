/**
 * The usage-sampling thread: runs sampleAll (usage.ts) for the daemon, so that a pass over /proc
 * and the cgroups of 1,000 processes — thousands of small reads, each a callback and some parsing —
 * costs the daemon's event loop one message each way instead (usage-thread.ts).
 */
import { parentPort } from 'node:worker_threads';
import { errnoCode } from './control-files.js';
import type { UsageReply, UsageRequest } from './usage-thread-protocol.js';
import { sampleAll } from './usage.js';

function reply(message: UsageReply): void {
  parentPort!.postMessage(message);
}

parentPort!.on('message', ({ id, targets }: UsageRequest) => {
  sampleAll(targets).then(
    // Each `at` is on the daemon thread's clock as it is: Node gives a worker the process's
    // performance.timeOrigin (usage-thread.test.ts pins it, for CPU % across threads).
    (usages) => reply({ id, usages }),
    (error: unknown) => {
      const code = errnoCode(error);
      reply({ id, error: error instanceof Error ? error.message : String(error), ...(code !== undefined && { code }) });
    },
  );
});
