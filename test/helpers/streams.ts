/**
 * Reading a stream in a test with a deadline: a WatchEvents, a followed StreamLogs, an Inspect,
 * the lines of a child's output. A missing item fails the test at the deadline, saying what was
 * awaited and what came, instead of holding the suite until its timeout.
 */

export interface ReadOptions {
  /** What the test waits for, for the failure message. */
  readonly what?: string;
  /** Fail when `until` has not said stop by then (default 30 s). */
  readonly timeoutMs?: number;
}

/**
 * A stream, or a function opening one with an AbortSignal (the client's `signal` call option),
 * which is aborted at the deadline so that the call is cancelled at once.
 */
export type StreamSource<T> = AsyncIterable<T> | ((signal: AbortSignal) => AsyncIterable<T>);

export const defaultStreamTimeoutMs = 30_000;

/**
 * Reads `source` until `until(items)` says stop, and returns the items read; the stream is
 * closed either way. Without `until`, reads to the stream's end. A stream that ends before
 * `until` says stop is a failure too.
 */
export async function readUntil<T>(
  source: StreamSource<T>,
  until?: (items: T[]) => boolean,
  { what = until === undefined ? 'the end of the stream' : 'the awaited items', timeoutMs = defaultStreamTimeoutMs }: ReadOptions = {},
): Promise<T[]> {
  const controller = new AbortController();
  const stream = typeof source === 'function' ? source(controller.signal) : source;
  const iterator = stream[Symbol.asyncIterator]();
  const items: T[] = [];
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; read ${summary(items)}`)), timeoutMs);
  });
  // Not awaited when the deadline passes first: the rejection is handled here.
  expired.catch(() => undefined);
  let settled = false;
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), expired]);
      if (next.done) {
        settled = true;
        if (until === undefined) return items;
        throw new Error(`the stream ended before ${what}; read ${summary(items)}`);
      }
      items.push(next.value);
      if (until?.(items)) {
        // As a `break` out of for await would: the generator's finally (the call's cancel) runs now.
        settled = true;
        await iterator.return?.();
        return items;
      }
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
    // Not awaited: a generator waiting on its source runs return() only once that settles,
    // which, after a missed deadline, may be never (the abort above ends client calls).
    if (!settled) iterator.return?.()?.catch(() => undefined);
  }
}

function summary(items: readonly unknown[]): string {
  if (items.length === 0) return 'nothing';
  const last = items.slice(-3).map((item) => {
    const text = typeof item === 'string' ? item : JSON.stringify(item) ?? String(item);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  });
  return `${items.length} item(s), the last: ${last.join(' | ')}`;
}

/**
 * A stream read in steps, each step like readUntil (its own `until` and deadline), the stream
 * left open between steps: the caller ends it (a child killed, a return() not awaited).
 */
export function stepReader<T>(iterator: AsyncIterator<T>): (until: (items: T[]) => boolean, options?: ReadOptions) => Promise<T[]> {
  const open: AsyncIterator<T> = { next: () => iterator.next(), return: async () => ({ done: true, value: undefined }) };
  return (until, options) => readUntil({ [Symbol.asyncIterator]: () => open }, until, options);
}
