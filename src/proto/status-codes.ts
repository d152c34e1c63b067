/**
 * The one table between statevisor's error codes and gRPC status codes. The server maps a thrown
 * StatevisorError to a status with it; the client maps a status back to a code. A code travels
 * in the `statevisor-error-code` trailer too, so the client recovers it exactly.
 */
import { status } from '@grpc/grpc-js';
import type { ErrorCode } from '../errors.js';

export const errorCodeMetadataKey = 'statevisor-error-code';

export const statusByErrorCode: Readonly<Record<ErrorCode, status>> = {
  E_NOT_FOUND: status.NOT_FOUND,
  E_ALREADY_EXISTS: status.ALREADY_EXISTS,
  E_SPEC_INVALID: status.INVALID_ARGUMENT,
  E_INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  E_INVALID_STATE: status.FAILED_PRECONDITION,
  E_UNAVAILABLE: status.UNAVAILABLE,
  E_UNAUTHENTICATED: status.UNAUTHENTICATED,
  E_UNIMPLEMENTED: status.UNIMPLEMENTED,
  E_SHUTDOWN_DEADLINE: status.DEADLINE_EXCEEDED,
  E_DEADLINE_EXCEEDED: status.DEADLINE_EXCEEDED,
  E_START_FAILED: status.FAILED_PRECONDITION,
  E_CANCELLED: status.CANCELLED,
  E_INTERNAL: status.INTERNAL,
};

/** For a status without the trailer (another server, a transport failure): the likeliest code. */
export function errorCodeOfStatus(code: status): ErrorCode {
  switch (code) {
    case status.NOT_FOUND:
      return 'E_NOT_FOUND';
    case status.ALREADY_EXISTS:
      return 'E_ALREADY_EXISTS';
    case status.INVALID_ARGUMENT:
      return 'E_INVALID_ARGUMENT';
    case status.FAILED_PRECONDITION:
      return 'E_INVALID_STATE';
    case status.UNAVAILABLE:
      return 'E_UNAVAILABLE';
    case status.UNAUTHENTICATED:
      return 'E_UNAUTHENTICATED';
    case status.UNIMPLEMENTED:
      return 'E_UNIMPLEMENTED';
    case status.DEADLINE_EXCEEDED:
      return 'E_DEADLINE_EXCEEDED';
    case status.CANCELLED:
      return 'E_CANCELLED';
    default:
      return 'E_INTERNAL';
  }
}
