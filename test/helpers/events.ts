/** Reading WatchEvents streams in tests. */
import type { ProcessEvent } from '../../src/client/index.js';
import { readUntil, type ReadOptions, type StreamSource } from './streams.js';

/** Collect events from a watch until `until` says stop, then cancel the stream; fails at the deadline. */
export function collect(
  stream: StreamSource<ProcessEvent>,
  until: (events: ProcessEvent[]) => boolean,
  options: ReadOptions = {},
): Promise<ProcessEvent[]> {
  return readUntil(stream, until, { what: 'the awaited events', ...options });
}
