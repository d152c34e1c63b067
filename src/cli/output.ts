/**
 * What commands print: text for people, or with --json one JSON document (an object or an
 * array) for scripts — one object per line for streams, so that each line parses on its own.
 * Dates become ISO 8601 strings.
 */

/**
 * Where a command's output goes instead of stdout and stderr while a fleet command runs it for
 * one host (src/cli/fleet/per-host.ts): there each line is tagged with the host, and JSON is
 * collected into the fleet's array of per-host results. One at a time: hosts take turns.
 */
export interface OutputSink {
  line(text: string): void;
  json(value: unknown): void;
  /** A `statevisor: …` line meant for stderr, without its prefix. */
  error(message: string): void;
}

let sink: OutputSink | undefined;

export async function printingTo<T>(to: OutputSink, run: () => Promise<T>): Promise<T> {
  sink = to;
  try {
    return await run();
  } finally {
    sink = undefined;
  }
}

/** The sink a fleet run installed, if any: errors.ts sends its stderr lines there too. */
export function currentSink(): OutputSink | undefined {
  return sink;
}

export function printLine(text: string): void {
  if (sink) sink.line(text);
  else process.stdout.write(`${text}\n`);
}

export function printJson(value: unknown): void {
  if (sink) sink.json(value);
  else process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One compact line: a stream's item. */
export function printJsonLine(value: unknown): void {
  if (sink) sink.json(value);
  else process.stdout.write(`${JSON.stringify(value)}\n`);
}

let watchingStdout = false;

/**
 * `statevisor logs -f | head`: once the reader has gone there is nothing left to do, so exit
 * quietly instead of dying of an unhandled EPIPE with a stack trace.
 */
export function exitQuietlyWhenStdoutCloses(): void {
  if (watchingStdout) return;
  watchingStdout = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
}
