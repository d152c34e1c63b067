/**
 * The console's files, all from the installed package: the page (console/index.html,
 * console/style.css), its scripts (console/*.ts compiled by `npm run build` into dist/console/,
 * plain ES modules the browser loads as they are: no bundle, no build step for the user) and
 * Mermaid's browser bundle, which the build puts gzipped in dist/console/vendor/
 * (scripts/vendor-console.mjs). Nothing from a CDN: the console works offline. Files are read
 * once, when first asked for, and kept (some 40 KB, and Mermaid's 1 MB).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { sendText } from './router.js';
import { securityHeaders } from './security-headers.js';

/** From dist/src/server/http/ up to the package's root. */
const packageRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const pageDir = path.join(packageRoot, 'console');
const scriptDir = path.join(packageRoot, 'dist', 'console');
export const mermaidBundle = path.join(scriptDir, 'vendor', 'mermaid.min.js.gz');

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

export class ConsoleAssets {
  readonly #cache = new Map<string, Buffer>();
  readonly #scripts: ReadonlySet<string>;
  /** Unzipped once, for a browser that takes no gzip (none does, today). */
  #mermaidPlain: Promise<Buffer> | undefined;

  constructor() {
    // The scripts the build made: nothing else under /app/ is served, whatever the path says.
    this.#scripts = new Set(existsSync(scriptDir) ? readdirSync(scriptDir).filter((name) => /^[a-z][a-z0-9-]*\.js$/.test(name)) : []);
  }

  page(response: http.ServerResponse): void {
    this.#file(response, path.join(pageDir, 'index.html'));
  }

  style(response: http.ServerResponse): void {
    this.#file(response, path.join(pageDir, 'style.css'));
  }

  script(response: http.ServerResponse, name: string): void {
    if (!this.#scripts.has(name)) return sendText(response, 404, `no script ${name} (the console's scripts are built by npm run build)`);
    this.#file(response, path.join(scriptDir, name));
  }

  async mermaid(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const zipped = this.#read(mermaidBundle);
    if (zipped === undefined) return sendText(response, 404, 'the chart renderer is missing from the package: run npm run build');
    const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    const body = gzip ? zipped : await (this.#mermaidPlain ??= promisify(gunzip)(zipped));
    response.writeHead(200, {
      ...securityHeaders,
      'content-type': types['.js'],
      ...(gzip && { 'content-encoding': 'gzip' }),
      vary: 'accept-encoding',
      // The bundle does not change under a running daemon.
      'cache-control': 'max-age=86400',
    });
    response.end(body);
  }

  #read(file: string): Buffer | undefined {
    let body = this.#cache.get(file);
    if (body === undefined && existsSync(file)) this.#cache.set(file, (body = readFileSync(file)));
    return body;
  }

  #file(response: http.ServerResponse, file: string): void {
    const body = this.#read(file);
    if (body === undefined) return sendText(response, 404, `${path.basename(file)} is missing from the package: run npm run build`);
    response.writeHead(200, { ...securityHeaders, 'content-type': types[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    response.end(body);
  }
}
