/**
 * The `--http` routes as a table: a method, a path pattern (`/api/processes/:name/start`), a
 * handler. A path that matches no pattern is a 404, one that matches with another method a 405
 * naming the allowed ones. Path parameters are decoded once here; a parameter that does not
 * decode is a 400. Every answer carries the console's security headers (security-headers.ts).
 */
import type http from 'node:http';
import type { HttpHandler } from './http-endpoint.js';
import { securityHeaders } from './security-headers.js';

export type Method = 'GET' | 'POST';

export interface RouteContext {
  readonly request: http.IncomingMessage;
  readonly response: http.ServerResponse;
  readonly url: URL;
  /** The pattern's `:name` segments, decoded. */
  readonly params: Readonly<Record<string, string>>;
}

export interface Route {
  readonly method: Method;
  readonly path: string;
  handle(context: RouteContext): Promise<void> | void;
}

interface CompiledRoute extends Route {
  readonly segments: readonly string[];
}

/** The params of `path` under `segments`, or undefined when it does not match. */
function match(segments: readonly string[], path: string): Record<string, string> | undefined | 'undecodable' {
  const parts = path.split('/');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i]!;
    const part = parts[i]!;
    if (segment.startsWith(':')) {
      if (part === '') return undefined;
      try {
        params[segment.slice(1)] = decodeURIComponent(part);
      } catch {
        return 'undecodable';
      }
    } else if (segment !== part) {
      return undefined;
    }
  }
  return params;
}

export function sendText(response: http.ServerResponse, code: number, text: string, headers: http.OutgoingHttpHeaders = {}): void {
  response.writeHead(code, { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8', ...headers });
  response.end(text.endsWith('\n') ? text : `${text}\n`);
}

export function sendJson(response: http.ServerResponse, code: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  response.writeHead(code, { ...securityHeaders, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  response.end(`${JSON.stringify(body)}\n`);
}

export function router(routes: readonly Route[]): HttpHandler {
  const compiled: CompiledRoute[] = routes.map((route) => ({ ...route, segments: route.path.split('/') }));
  return (request, response, url) => {
    // HEAD is answered as GET (node drops the body).
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const allowed: string[] = [];
    for (const route of compiled) {
      const params = match(route.segments, url.pathname);
      if (params === undefined) continue;
      if (params === 'undecodable') return sendText(response, 400, 'bad path: a segment is not valid percent-encoding');
      if (route.method !== method) {
        allowed.push(route.method === 'GET' ? 'GET, HEAD' : route.method);
        continue;
      }
      return route.handle({ request, response, url, params });
    }
    if (allowed.length > 0) return sendText(response, 405, `method ${request.method} not allowed here: ${allowed.join(', ')}`, { allow: allowed.join(', ') });
    return sendText(response, 404, 'not found: try /, /healthz or /metrics');
  };
}
