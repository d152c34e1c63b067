/**
 * The one place where errors become gRPC statuses. A StatevisorError keeps its code in the
 * `statevisor-error-code` trailer; anything else is a bug, logged in full and answered INTERNAL
 * without leaking internals.
 *
 * Every status message leaves through wellFormedDetails. grpc-js percent-encodes it with
 * encodeURI, which throws on a lone surrogate — thrown inside grpc-js, that once ended the
 * daemon — and a message quoting a 1 MB request field made a trailer that stalled the client's
 * whole connection. So a message is made well-formed and cut to fit a few KiB once encoded.
 */
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { StatevisorError } from '../../errors.js';
import type { Logger } from '../../manager/logger.js';
import { errorCodeMetadataKey, statusByErrorCode } from '../../proto/status-codes.js';

/** Percent-encoded, a status message stays within this: half the 8 KiB of metadata many clients accept. */
export const maxEncodedDetails = 4096;
const cutMark = '... (cut)';

/** `details` as a well-formed string whose percent-encoding fits maxEncodedDetails. */
export function wellFormedDetails(details: string): string {
  const text = details.toWellFormed();
  const room = maxEncodedDetails - encodeURI(cutMark).length;
  let encoded = 0;
  let index = 0;
  let cutAt = -1;
  for (const char of text) {
    encoded += encodeURI(char).length;
    if (cutAt < 0 && encoded > room) cutAt = index;
    if (encoded > maxEncodedDetails) return `${text.slice(0, cutAt)}${cutMark}`;
    index += char.length;
  }
  return text;
}

function withCode(code: string): Metadata {
  const metadata = new Metadata();
  metadata.set(errorCodeMetadataKey, code);
  return metadata;
}

/** What a call gets when the daemon failed to answer it: nothing of the failure leaks. */
export function internalError(rpc: string): Partial<ServiceError> {
  return { code: status.INTERNAL, details: `internal error in ${rpc}`, metadata: withCode('E_INTERNAL') };
}

export function toServiceError(error: unknown, logger: Logger, rpc: string): Partial<ServiceError> {
  if (error instanceof StatevisorError) {
    return { code: statusByErrorCode[error.code], details: wellFormedDetails(error.message), metadata: withCode(error.code) };
  }
  logger.error({ err: error, rpc }, 'unexpected error in handler');
  return internalError(rpc);
}
