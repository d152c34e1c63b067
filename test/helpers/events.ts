/** Reading WatchEvents streams in tests. */
import type { ProcessEvent } from '../../src/client/index.js';

/** Collect events from a watch until `until` says stop, then cancel the stream. */
export async function collect(stream: AsyncIterable<ProcessEvent>, until: (events: ProcessEvent[]) => boolean): Promise<ProcessEvent[]> {
  const events: ProcessEvent[] = [];
  for await (const event of stream) {
    events.push(event);
    if (until(events)) break;
  }
  return events;
}
