/** How a call or a stream ended, for tests that expect failures. */
import assert from 'node:assert/strict';
import type { RpcError } from '../../src/client/errors.js';
import { readUntil } from './streams.js';

/** The rejection of `call`, which must reject. */
export async function rejection(call: Promise<unknown>): Promise<RpcError> {
  return call.then(
    () => assert.fail('expected the call to fail'),
    (error: unknown) => error as RpcError,
  );
}

/** Reads a stream until it ends (resolves) or fails (rejects); fails at the deadline. */
export async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  await readUntil(stream);
}
