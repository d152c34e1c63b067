/**
 * Every rejected client call throws a StatevisorError. A failed RPC becomes an RpcError, whose
 * code is the one the daemon put in the `statevisor-error-code` trailer (exact), else the
 * likeliest code for the gRPC status (another server, a transport failure, our own deadline).
 * The mapping table itself lives in src/proto/status-codes.ts; this file only reads it back.
 */
import { status, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { errorCodes, hasCode, StatevisorError, type ErrorCode } from '../errors.js';
import { errorCodeMetadataKey, errorCodeOfStatus } from '../proto/status-codes.js';

/** A failed RPC: the statevisor code, the daemon's message, and the gRPC status it came with. */
export class RpcError extends StatevisorError {
  readonly grpcCode: status;
  /** The RPC that failed, e.g. "StartProcess". */
  readonly rpc: string;
  readonly metadata: Metadata | undefined;
  constructor(code: ErrorCode, message: string, grpcCode: status, rpc: string, options?: { cause?: unknown; metadata?: Metadata }) {
    super(code, message, options);
    this.name = 'RpcError';
    this.grpcCode = grpcCode;
    this.rpc = rpc;
    this.metadata = options?.metadata;
  }
}

function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as Partial<ServiceError>).code === 'number' && 'details' in error;
}

function trailerCode(metadata: Metadata | undefined): ErrorCode | undefined {
  const value = metadata?.get(errorCodeMetadataKey)[0];
  const text = typeof value === 'string' ? value : value?.toString('utf8');
  // A newer daemon may send a code this client does not know: fall back to the status then.
  return (errorCodes as readonly string[]).includes(text ?? '') ? (text as ErrorCode) : undefined;
}

/** Whatever a call rejected with, as a StatevisorError. */
export function toClientError(error: unknown, rpc: string): StatevisorError {
  if (error instanceof StatevisorError) return error;
  if (isServiceError(error)) {
    const code = trailerCode(error.metadata) ?? errorCodeOfStatus(error.code);
    const message = error.details || error.message;
    return new RpcError(code, message, error.code, rpc, { cause: error, metadata: error.metadata });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new StatevisorError('E_INTERNAL', `${rpc}: ${message}`, { cause: error });
}

function grpcCodeOf(error: unknown): status | undefined {
  return error instanceof RpcError ? error.grpcCode : undefined;
}

export function isNotFound(error: unknown): boolean {
  return hasCode(error, 'E_NOT_FOUND');
}

export function isAlreadyExists(error: unknown): boolean {
  return hasCode(error, 'E_ALREADY_EXISTS');
}

/**
 * The process is in the wrong state for the request (start while running, delete without force).
 * A trailer-less FAILED_PRECONDITION maps to E_INVALID_STATE, so the code alone decides; an
 * E_START_FAILED (also FAILED_PRECONDITION on the wire) is a failed start, not a wrong state.
 */
export function isInvalidState(error: unknown): boolean {
  return hasCode(error, 'E_INVALID_STATE');
}

export function isInvalidArgument(error: unknown): boolean {
  return hasCode(error, 'E_SPEC_INVALID') || hasCode(error, 'E_INVALID_ARGUMENT');
}

export function isUnavailable(error: unknown): boolean {
  return hasCode(error, 'E_UNAVAILABLE');
}

export function isUnauthenticated(error: unknown): boolean {
  return hasCode(error, 'E_UNAUTHENTICATED');
}

export function isUnimplemented(error: unknown): boolean {
  return hasCode(error, 'E_UNIMPLEMENTED');
}

/** The call ran out of time (its own deadline, or a deadline the daemon reports). */
export function isDeadlineExceeded(error: unknown): boolean {
  return grpcCodeOf(error) === status.DEADLINE_EXCEEDED || hasCode(error, 'E_DEADLINE_EXCEEDED');
}

/** The caller cancelled (an AbortSignal fired) or the call was cancelled on the way. */
export function isCancelled(error: unknown): boolean {
  return hasCode(error, 'E_CANCELLED');
}
