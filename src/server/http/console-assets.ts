/**
 * The console's files, all from the installed package: the page (console/index.html,
 * console/style.css), its scripts (console/*.ts compiled by `npm run build` into dist/console/,
 * plain ES modules the browser loads as they are: no bundle, no build step for the user) and the
 * Mermaid renderer's browser bundle from node_modules. Nothing from a CDN: the console works
 * offline. Files are read once, when first asked for, and kept (some 30 KB; Mermaid's bundle is
 * streamed from disk).
 */
import { createReadStream, existsSync, readFileSync, readdirSync } from 'node:fs';
import type http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendText } from './router.js';
import { securityHeaders } from './security-headers.js';

/** From dist/src/server/http/ up to the package's root. */
const packageRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const pageDir = path.join(packageRoot, 'console');
const scriptDir = path.join(packageRoot, 'dist', 'console');

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/** Mermaid's browser bundle (dist/mermaid.min.js beside the package's entry), if installed. */
export function mermaidBundlePath(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve('mermaid');
    const bundle = path.join(path.dirname(entry), 'mermaid.min.js');
    return existsSync(bundle) ? bundle : undefined;
  } catch {
    return undefined;
  }
}

export class ConsoleAssets {
  readonly #cache = new Map<string, Buffer>();
  readonly #scripts: ReadonlySet<string>;
  readonly #mermaid = mermaidBundlePath();

  constructor() {
    // The scripts the build made: nothing else under /app/ is served, whatever the path says.
    this.#scripts = new Set(existsSync(scriptDir) ? readdirSync(scriptDir).filter((name) => /^[a-z][a-z0-9-]*\.js$/.test(name)) : []);
  }

  get hasMermaid(): boolean {
    return this.#mermaid !== undefined;
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

  mermaid(response: http.ServerResponse): void {
    if (this.#mermaid === undefined) return sendText(response, 404, 'the mermaid package is not installed: charts are not drawn');
    response.writeHead(200, {
      ...securityHeaders,
      'content-type': types['.js'],
      // The package's version does not change under a running daemon.
      'cache-control': 'max-age=86400',
    });
    createReadStream(this.#mermaid)
      .on('error', () => response.destroy())
      .pipe(response);
  }

  #file(response: http.ServerResponse, file: string): void {
    let body = this.#cache.get(file);
    if (body === undefined) {
      if (!existsSync(file)) return sendText(response, 404, `${path.basename(file)} is missing from the package: run npm run build`);
      this.#cache.set(file, (body = readFileSync(file)));
    }
    response.writeHead(200, { ...securityHeaders, 'content-type': types[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    response.end(body);
  }
}
