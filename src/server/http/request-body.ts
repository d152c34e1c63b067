/**
 * A console request's JSON body: at most 16 KiB (an action's body is a few bytes), an object, or
 * nothing at all. Anything else is E_INVALID_ARGUMENT, said plainly.
 */
import type http from 'node:http';
import { StatevisorError } from '../../errors.js';

export const bodyLimitBytes = 16 * 1024;

export async function readJsonBody(request: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > bodyLimitBytes) {
      request.destroy();
      throw new StatevisorError('E_INVALID_ARGUMENT', `body: more than ${bodyLimitBytes} bytes`);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new StatevisorError('E_INVALID_ARGUMENT', 'body: not JSON, expected an object such as {"signal": "HUP"}');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new StatevisorError('E_INVALID_ARGUMENT', 'body: expected a JSON object');
  }
  return body as Record<string, unknown>;
}
