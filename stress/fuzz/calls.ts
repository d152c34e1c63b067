/**
 * Sending a fuzzed request as raw bytes (grpc-js with identity serializers) and reading how it
 * ended. Every call has a deadline: running out of it is a hang. Every message the daemon sends
 * back must decode as the RPC's response type, as the typed client would decode it.
 */
import * as grpc from '@grpc/grpc-js';
import type { FuzzRequest } from './requests.js';

export interface Outcome {
  readonly code: grpc.status;
  readonly details: string;
  readonly ms: number;
  /** Decoded answers (unary: one when OK; streams: what arrived before the end or our cancel). */
  readonly responses: unknown[];
  /** The daemon sent bytes that do not decode as the response type. */
  readonly undecodable: boolean;
  /** We cancelled a stream that answered (or stayed quiet) and does not end by itself. */
  readonly cancelledByUs: boolean;
}

const identity = (bytes: Buffer): Buffer => bytes;

/** Stop, restart and delete wait for a stop: its grace period (≤ 5 s in fuzzed specs, 10 s by default) and more. */
const slowRpcs = new Set(['StopProcess', 'RestartProcess', 'DeleteProcess', 'UpdateProcess']);

export function deadlineMsOf(rpc: string): number {
  return slowRpcs.has(rpc) ? 40_000 : 10_000;
}

/** How long a stream that does not end by itself is watched before it is cancelled. */
const quietStreamMs = 300;

export function send(client: grpc.Client, request: FuzzRequest, metadata: grpc.Metadata): Promise<Outcome> {
  const { rpc } = request;
  const started = performance.now();
  const deadline = Date.now() + deadlineMsOf(rpc.name);
  const responses: unknown[] = [];
  let undecodable = false;
  const decode = (bytes: Buffer): void => {
    try {
      responses.push(rpc.responseDeserialize(bytes));
    } catch {
      undecodable = true;
    }
  };
  return new Promise((resolve) => {
    let cancelledByUs = false;
    const finish = (status: { code: grpc.status; details: string }) =>
      resolve({ code: status.code, details: status.details, ms: performance.now() - started, responses, undecodable, cancelledByUs });
    if (!rpc.responseStream) {
      const call = client.makeUnaryRequest(rpc.path, identity, identity, request.bytes, metadata, { deadline }, (error, value) => {
        if (error === null && value !== undefined) decode(value);
      });
      call.on('status', finish);
      return;
    }
    const call = client.makeServerStreamRequest(rpc.path, identity, identity, request.bytes, metadata, { deadline });
    const cancel = () => {
      cancelledByUs = true;
      call.cancel();
    };
    const quiet = request.ends ? undefined : setTimeout(cancel, quietStreamMs);
    call.on('data', (bytes: Buffer) => {
      decode(bytes);
      if (!request.ends && !cancelledByUs) cancel();
    });
    call.on('error', () => {});
    call.on('status', (status: grpc.StatusObject) => {
      clearTimeout(quiet);
      finish(status);
    });
  });
}
