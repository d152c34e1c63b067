/**
 * A call's deadline as the client's options and every call's options give it: checked once, here,
 * for the connection's default and for each call.
 */
import { StatevisorError } from '../errors.js';

export function checkDeadlineMs(deadlineMs: number): number {
  if (!(deadlineMs > 0)) {
    throw new StatevisorError('E_INVALID_ARGUMENT', `deadlineMs must be a positive number of milliseconds, got ${String(deadlineMs)}`);
  }
  return deadlineMs;
}
