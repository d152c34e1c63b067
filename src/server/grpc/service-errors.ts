/**
 * The one place where errors become gRPC statuses. A StatevisorError keeps its code in the
 * `statevisor-error-code` trailer; anything else is a bug, logged in full and answered INTERNAL
 * without leaking internals.
 */
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { StatevisorError } from '../../errors.js';
import type { Logger } from '../../manager/logger.js';
import { errorCodeMetadataKey, statusByErrorCode } from '../../proto/status-codes.js';

export function toServiceError(error: unknown, logger: Logger, rpc: string): Partial<ServiceError> {
  const metadata = new Metadata();
  if (error instanceof StatevisorError) {
    metadata.set(errorCodeMetadataKey, error.code);
    return { code: statusByErrorCode[error.code], details: error.message, metadata };
  }
  logger.error({ err: error, rpc }, 'unexpected error in handler');
  metadata.set(errorCodeMetadataKey, 'E_INTERNAL');
  return { code: status.INTERNAL, details: `internal error in ${rpc}`, metadata };
}
