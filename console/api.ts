/**
 * The console's calls to the daemon. Every state-changing call carries the same-origin guard
 * (a header no other site can send without a preflight the daemon never grants); the session
 * cookie, when there is one, rides along by itself and no script can read it (HttpOnly).
 */
import type { ApiError, ProcessRow, SessionInfo } from '../src/server/http/console-wire.js';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function answer<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    body = { error: text.trim() || response.statusText, code: '' };
  }
  if (!response.ok) {
    const { error, code } = body as Partial<ApiError>;
    throw new ApiFailure(response.status, code ?? '', error ?? `HTTP ${response.status}`);
  }
  return body as T;
}

async function post<T>(path: string, body: unknown = {}): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-statevisor-csrf': '1' },
    body: JSON.stringify(body),
  });
  return answer<T>(response);
}

export async function session(): Promise<SessionInfo> {
  return answer<SessionInfo>(await fetch('/api/session', { credentials: 'same-origin' }));
}

export function login(token: string): Promise<SessionInfo> {
  return post<SessionInfo>('/api/login', { token });
}

export function logout(): Promise<unknown> {
  return post('/api/logout');
}

export type Action = 'start' | 'stop' | 'restart' | 'signal';

export async function act(name: string, action: Action, body: Record<string, unknown> = {}): Promise<ProcessRow | null> {
  const result = await post<{ process: ProcessRow | null }>(`/api/processes/${encodeURIComponent(name)}/${action}`, body);
  return result.process;
}

export function processPath(name: string): string {
  return `/api/processes/${encodeURIComponent(name)}`;
}
