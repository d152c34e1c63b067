/**
 * Waiting for a start to succeed or fail (`create --start`, `start`, `restart`), over WatchEvents.
 *
 * The watch is opened, and its snapshot received, before the start is asked for, so no
 * transition of the new run can be missed; a run is told from older ones by its run count. For
 * `create --start` the process does not exist until the create returns, so the watch opens after
 * it and its snapshot is judged too (a start that failed in between shows as BACKOFF or FAILED).
 *
 * The wait has a deadline — by default the process's start_timeout (the daemon's own bound on a
 * start) plus a margin, none when start_timeout is 0 — and Ctrl-C ends it early. Neither touches
 * the process: it goes on starting, and the command says so.
 */
import type { Process, ProcessEvent, StatevisorClient } from '../client/index.js';
import { isCancelled } from '../client/index.js';
import { deadlines } from '../deadlines.js';
import { StatevisorError } from '../errors.js';
import { startVerdict } from './start-verdict.js';


export type StartOutcome =
  | { readonly kind: 'started'; readonly process: Process }
  | { readonly kind: 'failed'; readonly process: Process; readonly reason: string }
  /** Still on its way when the wait ran out (`timeoutMs`) or was interrupted. */
  | { readonly kind: 'timeout'; readonly process: Process; readonly timeoutMs: number }
  | { readonly kind: 'interrupted'; readonly process: Process };

export interface StartWatch {
  /** Waits for the verdict on the first run after the watch was opened (or, for a create, on any run). */
  outcome(options?: { timeoutMs?: number }): Promise<StartOutcome>;
  close(): void;
}

/**
 * Opens the watch of one process and returns once its snapshot is in: ask for the start after
 * this. `judgeSnapshot` for a create, whose start was asked for before the watch could open.
 */
export async function watchStart(client: StatevisorClient, name: string, options: { judgeSnapshot?: boolean } = {}): Promise<StartWatch> {
  const { spec } = await client.describeProcess(name);
  const type = spec?.type ?? 'simple';
  const startTimeoutMs = spec?.startTimeoutMs ?? 0;
  // Its run waits for a client, which may take forever: that wait is the start it was asked for.
  const startsOnConnection = spec?.startOn === 'connection';
  const stop = new AbortController();
  const interrupt = () => stop.abort('interrupted');
  process.once('SIGINT', interrupt);
  const events = client.watchEvents(name, { signal: stop.signal });
  const close = () => {
    process.removeListener('SIGINT', interrupt);
    stop.abort('closed');
  };

  let first: IteratorResult<ProcessEvent>;
  try {
    first = await events.next();
  } catch (error) {
    close();
    throw error;
  }
  const snapshot = first.done ? undefined : first.value;
  let last = snapshot?.process ?? (await client.describeProcess(name)).process;
  const runsBefore = options.judgeSnapshot ? 0 : last.runCount;

  /** The verdict an event brings on the run being waited for, if any. */
  const judge = (event: ProcessEvent): StartOutcome | undefined => {
    const view = event.process;
    if (view === undefined) return undefined;
    last = view;
    if (event.type === 'deleted') return { kind: 'failed', process: view, reason: 'it was deleted' };
    if (view.runCount <= runsBefore) return undefined;
    if (startsOnConnection && view.state === 'STARTING' && view.pid === 0) return { kind: 'started', process: view };
    const verdict = startVerdict(view.state, type);
    if (verdict === 'waiting') return undefined;
    if (verdict === 'started') return { kind: 'started', process: view };
    // The transition's reason is this run's (the restart decision); lastError may be an older run's.
    const reason = (event.type === 'transition' && event.reason) || view.lastError || `it is ${view.state}`;
    return { kind: 'failed', process: view, reason };
  };

  return {
    close,
    async outcome({ timeoutMs = startTimeoutMs > 0 ? startTimeoutMs + deadlines.startVerdictMarginMs : undefined } = {}) {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => stop.abort('timeout'), timeoutMs);
      try {
        const early = snapshot === undefined ? undefined : judge(snapshot);
        if (early) return early;
        for await (const event of events) {
          const verdict = judge(event);
          if (verdict) return verdict;
        }
        throw new StatevisorError('E_UNAVAILABLE', `the daemon ended the watch of ${name} before its start was decided`);
      } catch (error) {
        if (!(stop.signal.aborted && isCancelled(error))) throw error;
        if (stop.signal.reason === 'timeout') return { kind: 'timeout', process: last, timeoutMs: timeoutMs ?? 0 };
        return { kind: 'interrupted', process: last };
      } finally {
        clearTimeout(timer);
        close();
      }
    },
  };
}

/** Opens the watch, runs the action that starts the process (start, restart), and waits for the verdict. */
export async function startAndWait(
  client: StatevisorClient,
  name: string,
  action: () => Promise<unknown>,
  timeoutMs?: number,
): Promise<StartOutcome> {
  const watch = await watchStart(client, name);
  try {
    await action();
  } catch (error) {
    watch.close();
    throw error;
  }
  return watch.outcome(timeoutMs === undefined ? {} : { timeoutMs });
}
