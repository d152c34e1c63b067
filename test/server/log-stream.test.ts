/**
 * streamLogs (StreamLogs' body, and a console page's log tail) ends when its reader goes away,
 * whenever that is. Regression: a reader gone while the tail was being sent (a StreamLogs -f
 * cancelled at once, a console page closed as it opened) left a follower running for ever,
 * holding the log file open and polling it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { streamLogs, type LineSink } from '../../src/server/grpc/log-stream.js';

function sink(lines: string[]): LineSink {
  return Object.assign(new EventEmitter(), {
    write: (message: { stream: string; line: string }) => {
      lines.push(`${message.stream}:${message.line}`);
      return true;
    },
  });
}

/** Rejects after `ms`: the promise under test must settle first. */
function deadline(ms: number, what: string): { promise: Promise<never>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still running after ${ms} ms`)), ms);
  });
  return { promise, clear: () => clearTimeout(timer) };
}

test('a follow whose reader went away during the tail ends after the tail, following nothing', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-log-stream-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'out.log');
  writeFileSync(file, 'one\ntwo\n');
  const lines: string[] = [];
  const gone = new AbortController();
  gone.abort(new Error('the reader went away'));
  const limit = deadline(10_000, 'streamLogs');
  try {
    await Promise.race([streamLogs(sink(lines), [{ stream: 'stdout', file }], 10, true, gone.signal), limit.promise]);
  } finally {
    limit.clear();
  }
  assert.deepEqual(lines, ['stdout:one', 'stdout:two']);
});
