/**
 * What commands print: text for people, or with --json one JSON document (an object or an
 * array) for scripts — one object per line for streams, so that each line parses on its own.
 * Dates become ISO 8601 strings.
 */
export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One compact line: a stream's item. */
export function printJsonLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
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
