/**
 * Mapping over many small async reads with at most `limit` in flight. A fleet-wide /proc scan is
 * thousands of tiny reads: all at once would queue them behind libuv's few threads and hold
 * thousands of open descriptors; one at a time would serialise the syscalls' latency.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
