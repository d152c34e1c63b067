/**
 * The clock every timer of the actor system runs on. XState schedules delays through
 * `setTimeout`/`clearTimeout`; statevisor also reads `now()` to stamp syncs and exits, so that a
 * SimulatedClock moves both together in tests.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: (...args: unknown[]) => void, timeoutMs: number): unknown;
  clearTimeout(id: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, timeoutMs) => setTimeout(fn, timeoutMs),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};
