// A worker-thread service for statevisor (runtime: worker): the default export is called with
// { signal, config, onConfig } and runs until `signal` fires; when its promise settles the run ends.
import { setTimeout as sleep } from 'node:timers/promises';

export default async function consume({ signal, config, onConfig }) {
  const batch = Number(process.env.BATCH ?? 1);
  console.log(`${config.name}: consuming batches of ${batch}`);
  onConfig((next) => console.log(`${config.name}: new config, description "${next.description}"`));
  let handled = 0;
  while (!signal.aborted) {
    await sleep(2_000, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) break;
    handled += batch;
    console.log(`handled ${handled} messages`);
  }
  console.log(`stopping after ${handled} messages`);
}
