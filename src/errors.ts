/**
 * Errors with codes. Every layer throws these; the gRPC server maps codes to status codes in one
 * place and the client maps them back.
 */
export const errorCodes = [
  'E_NOT_FOUND',
  'E_ALREADY_EXISTS',
  'E_SPEC_INVALID',
  'E_INVALID_ARGUMENT',
  'E_INVALID_STATE',
  'E_UNAVAILABLE',
  'E_UNAUTHENTICATED',
  'E_UNIMPLEMENTED',
  'E_SHUTDOWN_DEADLINE',
  'E_DEADLINE_EXCEEDED',
  'E_START_FAILED',
  'E_CANCELLED',
  'E_INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export class StatevisorError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StatevisorError';
    this.code = code;
  }
}

/** Shutdown's deadline passed before every process finished; `pending` names the ones left. */
export class ShutdownDeadlineError extends StatevisorError {
  readonly pending: readonly string[];
  constructor(deadlineMs: number, pending: readonly string[]) {
    super(
      'E_SHUTDOWN_DEADLINE',
      `shutdown deadline of ${deadlineMs} ms exceeded; still terminating: ${pending.join(', ')}`,
    );
    this.name = 'ShutdownDeadlineError';
    this.pending = pending;
  }
}

export function hasCode(error: unknown, code: ErrorCode): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
