/**
 * `--http HOST:PORT`: a small read-only HTTP endpoint beside the gRPC listeners — `/healthz` for
 * load balancers and probes, `/metrics` in Prometheus' text format, and `/` a status page that
 * refreshes itself. Nothing here changes state, so it needs no token; it binds to loopback
 * unless told otherwise, and the README says what it exposes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../manager/logger.js';

export interface HttpRoutes {
  /** 200 while serving, 503 while the daemon stops. */
  healthz(): { readonly code: number; readonly body: unknown };
  metrics(): Promise<{ readonly contentType: string; readonly body: string }>;
  page(): string;
}

export interface HttpEndpoint {
  /** HOST:PORT as bound (port 0 resolved). */
  readonly address: string;
  close(): Promise<void>;
}

/** A route failed: 500, with nothing of the failure in the body (it is logged). Never throws. */
function failed(request: http.IncomingMessage, response: http.ServerResponse, error: unknown, logger: Logger): void {
  try {
    logger.error({ err: error, path: pathOf(request) ?? request.url }, 'HTTP route failed');
    if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('internal error\n');
  } catch {
    response.destroy();
  }
}

export async function listenHttp(address: string, routes: HttpRoutes, logger: Logger): Promise<HttpEndpoint> {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at);
  const port = Number(address.slice(at + 1));
  const server = http.createServer((request, response) => {
    respond(routes, request, response).catch((error: unknown) => failed(request, response, error, logger));
  });
  // A scrape that hangs must not keep the daemon from stopping.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  return {
    address: `${host}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The request's path, or undefined when its target is not a URL. */
function pathOf(request: http.IncomingMessage): string | undefined {
  try {
    return new URL(request.url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

async function respond(routes: HttpRoutes, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    response.end('read-only: GET or HEAD\n');
    return;
  }
  const path = pathOf(request);
  if (path === undefined) {
    response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('bad request target\n');
    return;
  }
  switch (path) {
    case '/healthz': {
      const { code, body } = routes.healthz();
      response.writeHead(code, { 'content-type': 'application/json' });
      response.end(`${JSON.stringify(body)}\n`);
      return;
    }
    case '/metrics': {
      const { contentType, body } = await routes.metrics();
      response.writeHead(200, { 'content-type': contentType });
      response.end(body);
      return;
    }
    case '/': {
      // Rendered before the head is written: a page that fails to render is a 500, not a 200.
      const page = routes.page();
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(page);
      return;
    }
    default:
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('not found: try /, /healthz or /metrics\n');
  }
}
