/**
 * Regressions found by the fuzzer (`npm run stress -- --only fuzz`), one test per finding, each
 * with one line on the bug. Every one of them was answered INTERNAL, or worse, before its fix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import type { RpcError } from '../../src/client/errors.js';
import { drain, rejection } from '../helpers/outcomes.js';
import { startTestDaemon } from '../helpers/daemon-harness.js';



// Seed 13: StreamLogs of a process whose log target is a directory failed with EISDIR → INTERNAL.
test('StreamLogs of a log path that cannot be read as a file is FAILED_PRECONDITION naming the file, not INTERNAL', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const directory = path.join(h.dir, 'a-directory');
  mkdirSync(directory);
  await h.client.createProcess({ name: 'dirlog', command: 'true', args: h.sleepArgs(), logs: { stdout: directory } });
  for (const follow of [false, true]) {
    const error = await rejection(drain(h.client.streamLogs('dirlog', { tailLines: 10, follow })));
    assert.equal(error.grpcCode, status.FAILED_PRECONDITION, `follow ${follow}: ${error.message}`);
    assert.match(error.message, new RegExp(`stdout log ${directory.replace(/[/.]/g, '\\$&')} cannot be read \\(EISDIR\\)`));
  }
});
