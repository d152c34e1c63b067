/**
 * A process page's one event stream (GET /api/processes/NAME/feed): everything the page shows,
 * live, over a single connection (a browser opens at most six per origin over HTTP/1.1, so each
 * page has one):
 *
 *   process  the process's detail (state, usage, spec, enforcement, transitions), on every change
 *            and after each usage cycle, at most four times a second;
 *   chart    the chart as Mermaid text, the states to light, the last move and the recent ones, on every move of its leaf states, at most four times a second;
 *   log      {stream, line}: the last lines of stdout and stderr, then every new line — read only
 *            as fast as the browser takes them (the file is the buffer, not the daemon);
 *   notice   something to show: output that is not captured, a log that cannot be read;
 *   gone     the process was deleted; the stream ends.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from '../../manager/logger.js';
import { streamLogs, type LineSink, type LogSource } from '../grpc/log-stream.js';
import type { ChartWatch } from './chart-watch.js';
import type { ChartState, ProcessDetail } from './console-wire.js';
import type { SseStream } from './sse.js';

export interface ProcessPageSource {
  /** undefined once the process is gone. */
  detail(id: string): ProcessDetail | undefined;
  /** The chart now: active leaf states (empty before the first run), its Mermaid text and the ids to light. */
  chart(id: string): { active: readonly string[]; mermaid: string; lit: readonly string[] };
  /** Call `changed` whenever something of the process changed; returns the way to stop. */
  watchProcess(id: string, changed: () => void): () => void;
  /** The files its output is in (throws E_INVALID_STATE when none is captured). */
  logSources(id: string): LogSource[];
  /** Usage is sampled on a timer: the page's figures are refreshed as often. */
  readonly usageIntervalMs: number;
  readonly charts: ChartWatch;
  now(): number;
}

export const pageTickMs = 250;
export const logTailLines = 200;

export function openProcessPage(stream: SseStream, id: string, source: ProcessPageSource, logger: Logger): void {
  let detailDirty = false;
  let chartDirty = false;
  let timer: NodeJS.Timeout | undefined;

  const sendDetail = (): boolean => {
    const detail = source.detail(id);
    if (detail === undefined) {
      stream.latest('gone', '{}');
      stream.end();
      return false;
    }
    stream.latest('process', JSON.stringify(detail));
    return true;
  };
  const sendChart = (): void => {
    const { active, mermaid, lit } = source.chart(id);
    const moves = source.charts.movesOf(id);
    const state: ChartState = { at: source.now(), mermaid, lit, active, last: moves.at(-1) ?? null, moves };
    stream.latest('chart', JSON.stringify(state));
  };
  const flush = (): void => {
    timer = undefined;
    if (detailDirty && !sendDetail()) return;
    if (chartDirty) sendChart();
    detailDirty = chartDirty = false;
  };
  const schedule = (): void => {
    timer ??= setTimeout(flush, pageTickMs);
  };

  if (!sendDetail()) return;
  const unwatchChart = source.charts.watch(id, source.chart(id).active, () => {
    chartDirty = true;
    schedule();
  });
  sendChart();
  const unwatchProcess = source.watchProcess(id, () => {
    detailDirty = true;
    schedule();
  });
  const usage = setInterval(() => {
    detailDirty = true;
    schedule();
  }, source.usageIntervalMs);
  usage.unref();

  const logs = new AbortController();
  stream.onClose(() => {
    clearTimeout(timer);
    clearInterval(usage);
    unwatchChart();
    unwatchProcess();
    logs.abort(new Error('the page was closed'));
  });
  followLogs(stream, id, source, logs.signal, logger);
}

function followLogs(stream: SseStream, id: string, source: ProcessPageSource, signal: AbortSignal, logger: Logger): void {
  let sources: LogSource[];
  try {
    sources = source.logSources(id);
  } catch (error) {
    stream.latest('notice', JSON.stringify({ text: (error as Error).message }));
    return;
  }
  const sink: LineSink = Object.assign(new EventEmitter(), {
    write: (message: { stream: string; line: string }) => stream.send('log', JSON.stringify(message)),
  });
  stream.onDrain(() => sink.emit('drain'));
  streamLogs(sink, sources, logTailLines, true, signal).catch((error: unknown) => {
    if (signal.aborted) return;
    logger.warn({ err: (error as Error).message, process: id }, 'console log tail ended');
    stream.latest('notice', JSON.stringify({ text: `the log tail ended: ${(error as Error).message}` }));
  });
}
