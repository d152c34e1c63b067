/** Waiting helpers: a bounded pool of calls in flight, and polling where there is no event. */

/** Runs fn over items with at most `limit` calls in flight. */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until check() holds; throws naming `what` after timeoutMs. Returns the number of checks. */
export async function pollUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  { timeoutMs, intervalMs }: { timeoutMs: number; intervalMs: number },
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let checks = 1;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await delay(intervalMs);
    checks++;
  }
  return checks;
}
