/**
 * The wrapper every ProcessManager handler runs in, so that no request can end the daemon.
 * Whatever a handler throws — synchronously, as a rejection, or later while it streams — becomes
 * a status through toServiceError (INTERNAL, logged with its stack, for anything that is not a
 * StatevisorError). Answering is guarded too: should grpc-js throw while sending a status, the
 * call gets a plain INTERNAL instead and the failure is logged, never rethrown into the event
 * loop, where it would reach the last-resort handler (last-resort.ts) or end the process.
 * Calls during shutdown, and requests whose bytes did not decode (MalformedRequest), are
 * answered before the handler runs.
 */
import type { sendUnaryData, ServerUnaryCall, ServerWritableStream, ServiceError } from '@grpc/grpc-js';
import { StatevisorError } from '../../errors.js';
import type { Logger } from '../../manager/logger.js';
import { MalformedRequest } from './malformed-request.js';
import { internalError, toServiceError } from './service-errors.js';

// proto-loader's plain objects: each handler reads the fields it knows.
export type Request = Record<string, any>;
export type Stream = ServerWritableStream<Request, unknown>;

export interface GuardContext {
  readonly logger: Logger;
  /** True once shutdown began: every call then gets UNAVAILABLE. */
  shuttingDown(): boolean;
}

function admitted(request: unknown, context: GuardContext): Request {
  if (context.shuttingDown()) throw new StatevisorError('E_UNAVAILABLE', 'the daemon is shutting down');
  if (request instanceof MalformedRequest) throw request.toError();
  return request as Request;
}

export function guardedUnary(rpc: string, context: GuardContext, handle: (request: Request) => unknown) {
  const { logger } = context;
  return (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>): void => {
    const answer = (error: Partial<ServiceError> | null, response?: unknown): void => {
      try {
        callback(error, response);
      } catch (thrown) {
        logger.error({ err: thrown, rpc }, 'sending the answer failed; answering INTERNAL instead');
        try {
          callback(internalError(rpc));
        } catch (again) {
          logger.error({ err: again, rpc }, 'sending INTERNAL failed too');
        }
      }
    };
    new Promise((resolve) => resolve(handle(admitted(call.request, context)))).then(
      (response) => answer(null, response),
      (error: unknown) => answer(toServiceError(error, logger, rpc)),
    );
  };
}

/** Server streams: a failure before or during streaming ends the call with a status, as for unary calls. */
export function guardedStream(rpc: string, context: GuardContext, handle: (call: Stream, request: Request) => void | Promise<void>) {
  const { logger } = context;
  return (call: Stream): void => {
    new Promise<void>((resolve) => resolve(handle(call, admitted(call.request, context)))).catch((error: unknown) =>
      failStream(call, toServiceError(error, logger, rpc), logger, rpc),
    );
  };
}

/** Ends a stream with `error` as its status. Never throws: a failure to end it is logged. */
export function failStream(call: Stream, error: Partial<ServiceError>, logger: Logger, rpc: string): void {
  try {
    call.emit('error', error);
  } catch (thrown) {
    logger.error({ err: thrown, rpc }, 'ending the stream with an error failed; ending it');
    endStream(call, logger, rpc);
  }
}

/** Ends a stream with OK. Never throws: a failure to end it is logged. */
export function endStream(call: Stream, logger: Logger, rpc: string): void {
  try {
    call.end();
  } catch (thrown) {
    logger.error({ err: thrown, rpc }, 'ending the stream failed');
  }
}
