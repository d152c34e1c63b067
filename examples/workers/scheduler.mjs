// A named export as a worker-thread task (runtime.export: tick). A rejection ends the run with
// exit 1 and its message as the last error; the restart policy brings it back.
import { setTimeout as sleep } from 'node:timers/promises';

export async function tick({ signal }) {
  for (let n = 1; !signal.aborted; n++) {
    await sleep(3_000, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) return;
    console.log(`tick ${n} at ${new Date().toISOString()}`);
    if (n % 5 === 0) throw new Error(`tick ${n}: the schedule's backend did not answer`);
  }
}
