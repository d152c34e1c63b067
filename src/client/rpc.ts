/**
 * The unary call primitive every client method goes through: per-call metadata, a deadline,
 * cancellation by AbortSignal, and the error mapping. Methods are taken from the service
 * definition by path, so one generic path serves every RPC (and grpc.health.v1 too) on one
 * channel.
 */
import { status, type CallOptions as GrpcCallOptions, type ClientUnaryCall } from '@grpc/grpc-js';
import type { Connection } from './connect.js';
import { RpcError, toClientError } from './errors.js';
import { checkDeadlineMs } from './deadline.js';

/** Accepted as the last argument of every method. */
export interface CallOptions {
  /** Overrides the client's default deadline for this call; Infinity waits forever. */
  deadlineMs?: number;
  /** Aborting cancels the call; it then rejects with E_CANCELLED. */
  signal?: AbortSignal;
}

/** What a proto-loader method definition provides that we use. */
export interface RpcMethod<Request, Response> {
  path: string;
  requestSerialize(value: Request): Buffer;
  responseDeserialize(bytes: Buffer): Response;
}

export function rpcName(method: { path: string }): string {
  return method.path.slice(method.path.lastIndexOf('/') + 1);
}

export function grpcCallOptions(deadlineMs: number | undefined): GrpcCallOptions {
  if (deadlineMs === undefined) return {};
  // grpc-js reads an Infinity deadline as "none".
  return { deadline: Date.now() + checkDeadlineMs(deadlineMs) };
}

export function abortError(signal: AbortSignal, rpc: string, cause?: unknown): RpcError {
  const reason: unknown = signal.reason;
  const why = reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);
  return new RpcError('E_CANCELLED', `${rpc} cancelled: ${why}`, status.CANCELLED, rpc, { cause: cause ?? reason });
}

export function closedError(rpc: string): RpcError {
  return new RpcError('E_UNAVAILABLE', `${rpc}: the client is closed`, status.UNAVAILABLE, rpc);
}

export function unary<Request, Response>(
  connection: Connection,
  method: RpcMethod<Request, Response>,
  request: Request,
  options: CallOptions = {},
  defaultDeadlineMs: number = connection.defaultDeadlineMs,
): Promise<Response> {
  const rpc = rpcName(method);
  const { signal } = options;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal, rpc));
    if (connection.closed) return reject(closedError(rpc));
    let call: ClientUnaryCall | undefined;
    const onAbort = (): void => call?.cancel();
    try {
      call = connection.client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        connection.metadata(),
        grpcCallOptions(options.deadlineMs ?? defaultDeadlineMs),
        (error, response) => {
          signal?.removeEventListener('abort', onAbort);
          if (error) return reject(signal?.aborted ? abortError(signal, rpc, error) : toClientError(error, rpc));
          if (response === undefined) return reject(new RpcError('E_INTERNAL', `${rpc}: empty response`, status.INTERNAL, rpc));
          resolve(response);
        },
      );
    } catch (error) {
      return reject(toClientError(error, rpc));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
