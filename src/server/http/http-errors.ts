/**
 * The one table between statevisor's error codes and HTTP statuses, for the console's API (the
 * gRPC side has its own, src/proto/status-codes.ts). A coded error's message is meant for people
 * and is sent; anything else is a bug, logged and answered 500 without its details.
 */
import type http from 'node:http';
import { StatevisorError, type ErrorCode } from '../../errors.js';
import type { Logger } from '../../manager/logger.js';
import type { ApiError } from './console-wire.js';
import { sendJson } from './router.js';

export const httpStatusByErrorCode: Readonly<Record<ErrorCode, number>> = {
  E_NOT_FOUND: 404,
  E_ALREADY_EXISTS: 409,
  E_SPEC_INVALID: 400,
  E_INVALID_ARGUMENT: 400,
  E_INVALID_STATE: 409,
  E_UNAVAILABLE: 503,
  E_UNAUTHENTICATED: 401,
  E_UNIMPLEMENTED: 501,
  E_SHUTDOWN_DEADLINE: 504,
  E_DEADLINE_EXCEEDED: 504,
  E_START_FAILED: 409,
  E_CANCELLED: 499,
  E_INTERNAL: 500,
};

export function sendError(response: http.ServerResponse, error: unknown, logger: Logger): void {
  if (error instanceof StatevisorError && error.code !== 'E_INTERNAL') {
    const body: ApiError = { error: error.message, code: error.code };
    return sendJson(response, httpStatusByErrorCode[error.code], body);
  }
  logger.error({ err: error }, 'console request failed');
  const body: ApiError = { error: 'internal error', code: 'E_INTERNAL' };
  return sendJson(response, 500, body);
}

/** A refusal of the console's authority, as an API error. */
export function sendRefusal(response: http.ServerResponse, refusal: { code: number; reason: string }): void {
  const body: ApiError = { error: refusal.reason, code: refusal.code === 401 ? 'E_UNAUTHENTICATED' : 'E_PERMISSION_DENIED' };
  sendJson(response, refusal.code, body);
}
