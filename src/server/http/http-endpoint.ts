/**
 * `--http HOST:PORT`: the HTTP listener beside the gRPC ones. It parses each request's target once
 * and hands it to the routes (router.ts); a route that fails gets a 500 with nothing of the
 * failure in the body (it is logged), and a target that is not a URL a 400. Nothing a request
 * does ends the daemon. What is served, and who may act through it, is routes.ts's and
 * console-auth.ts's.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../manager/logger.js';

/** Handles one request whose target parsed as `url`. */
export type HttpHandler = (request: http.IncomingMessage, response: http.ServerResponse, url: URL) => Promise<void> | void;

export interface HttpEndpoint {
  /** HOST:PORT as bound (port 0 resolved). */
  readonly address: string;
  close(): Promise<void>;
}

/** A route failed: 500, with nothing of the failure in the body (it is logged). Never throws. */
function failed(request: http.IncomingMessage, response: http.ServerResponse, error: unknown, logger: Logger): void {
  try {
    logger.error({ err: error, path: urlOf(request)?.pathname ?? request.url }, 'HTTP route failed');
    if (!response.headersSent) {
      response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('internal error\n');
    } else {
      // A stream already under way (a console feed): end it; the browser reconnects.
      response.destroy();
    }
  } catch {
    response.destroy();
  }
}

/** The request's target as a URL, or undefined when it is not one. */
function urlOf(request: http.IncomingMessage): URL | undefined {
  try {
    return new URL(request.url ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}

/** HOST and PORT of HOST:PORT ([::1]:80 too). */
export function splitHostPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(address.slice(at + 1)) };
}

/** Listens on `address`; `handlerFor` is given the address as bound (port 0 resolved) before any request. */
export async function listenHttp(address: string, handlerFor: (bound: string) => HttpHandler, logger: Logger): Promise<HttpEndpoint> {
  const { host, port } = splitHostPort(address);
  let handler: HttpHandler | undefined;
  const server = http.createServer((request, response) => {
    if (handler === undefined) return response.destroy();
    const url = urlOf(request);
    if (url === undefined) {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('bad request target\n');
      return;
    }
    try {
      Promise.resolve(handler(request, response, url)).catch((error: unknown) => failed(request, response, error, logger));
    } catch (error) {
      failed(request, response, error, logger);
    }
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
  const bound = `${host.includes(':') ? `[${host}]` : host}:${(server.address() as AddressInfo).port}`;
  handler = handlerFor(bound);
  return {
    address: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
