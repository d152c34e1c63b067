/**
 * A usage-sampling thread that dies when asked about pid 0 (no process has it) and otherwise is
 * the real one (usage-worker.ts): usage-thread.test.ts proves a dead thread is replaced.
 */
import { parentPort } from 'node:worker_threads';
import type { UsageRequest } from '../../../src/runtime/resources/usage-thread-protocol.js';
// Statically, so that its listener is there before the first message (a message that arrives
// while only ours listens is not queued for a later one). Its reply is async: ours exits first.
import '../../../src/runtime/resources/usage-worker.js';

parentPort!.on('message', (request: UsageRequest) => {
  if (request.targets.some((target) => target.pid === 0)) process.exit(3);
});
