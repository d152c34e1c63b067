/**
 * The web console: its routes, and the parts that keep it live — the shared table feed, the
 * process pages' streams, the chart watch — over the daemon's read side and verbs. daemon.ts
 * hands it what it needs; it reaches into nothing.
 *
 *   GET  /                              the page (one page app: the table, a process's page)
 *   GET  /style.css, /app/*.js          its style and scripts; /assets/mermaid.min.js the renderer
 *   GET  /api/session                   what this browser may do (read, act, log in)
 *   POST /api/login, /api/logout        the token for a session cookie, and back
 *   GET  /api/feed                      the table, live (Server-Sent Events: table-feed.ts)
 *   GET  /api/processes/NAME            one process's detail, once
 *   GET  /api/processes/NAME/feed       a process page, live (process-page-feed.ts)
 *   POST /api/processes/NAME/ACTION     start, stop, restart, signal ({"signal": "HUP", "group": false})
 *
 * Authority is console-auth.ts's; every read checks it, every POST needs the same-origin guard.
 */
import type http from 'node:http';
import { StatevisorError } from '../../errors.js';
import type { Logger } from '../../manager/logger.js';
import type { EventHub } from '../events.js';
import type { ProcessReads } from '../process-reads.js';
import type { ProcessVerbs } from '../process-verbs.js';
import { leafPaths } from '../../charts/state-paths.js';
import { ChartWatch, type InspectionSource } from './chart-watch.js';
import { ConsoleAssets } from './console-assets.js';
import { ConsoleAuthority, type Refusal } from './console-auth.js';
import { detailOf, rowOf } from './console-rows.js';
import type { SessionInfo } from './console-wire.js';
import { sendError, sendRefusal } from './http-errors.js';
import { openProcessPage, type ProcessPageSource } from './process-page-feed.js';
import { sendJson, type Route, type RouteContext } from './router.js';
import { SseStream } from './sse.js';
import { TableFeed, type TableSource } from './table-feed.js';
import { readJsonBody } from './request-body.js';

export interface ConsoleOptions {
  readonly reads: ProcessReads;
  readonly verbs: Pick<ProcessVerbs, 'start' | 'stop' | 'restart' | 'signal'>;
  /** WatchEvents' hub: what changed, and when. */
  readonly events: EventHub;
  /** The daemon's inspection of its actors (Inspector.observe): how a page sees its chart move. */
  readonly inspection: InspectionSource;
  /** A process actor's state value now (undefined before its first run). */
  stateOf(id: string): unknown;
  /** The chart as Mermaid text, and the ids of these leaf states in it, to light. */
  chart(active: readonly string[]): { mermaid: string; lit: readonly string[] };
  readonly usage: { cycles(): number; readonly intervalMs: number };
  readonly token: string | undefined;
  readonly version: string;
  readonly logger: Logger;
  shuttingDown(): boolean;
  now(): number;
}

export const consoleActions = ['start', 'stop', 'restart', 'signal'] as const;
type ConsoleAction = (typeof consoleActions)[number];

export class Console {
  readonly #options: ConsoleOptions;
  readonly #assets = new ConsoleAssets();
  readonly #table: TableFeed;
  readonly #charts: ChartWatch;
  readonly #pages = new Set<SseStream>();
  readonly #page: ProcessPageSource;

  constructor(options: ConsoleOptions) {
    this.#options = options;
    const { reads, events } = options;
    const rowById = (id: string) => (reads.has(id) ? rowOf(reads.view(reads.entry(id))) : undefined);
    const table: TableSource = {
      rows: () => reads.list().map(rowOf),
      row: rowById,
      usageCycles: options.usage.cycles,
      now: options.now,
      watch: (changed, ended) => {
        const subscription = events.subscribe({ processId: undefined, deliver: (e) => (changed(e.process.id), true), overflow: ended, end: ended });
        return subscription.close;
      },
    };
    this.#table = new TableFeed(table);
    this.#charts = new ChartWatch(options.inspection, options.now);
    this.#page = {
      detail: (id) => (reads.has(id) ? detailOf(reads.describe(id), options.now()) : undefined),
      chart: (id) => {
        const active = leafPaths(options.stateOf(id));
        return { active, ...options.chart(active) };
      },
      watchProcess: (id, changed) =>
        events.subscribe({ processId: id, deliver: () => (changed(), true), overflow: changed, end: changed }).close,
      logSources: (id) => reads.logFilesOf(id),
      usageIntervalMs: options.usage.intervalMs,
      charts: this.#charts,
      now: options.now,
    };
  }

  /** What is open now: for tests and the bench. */
  get stats(): { consoles: number; pages: number; watchingTable: boolean; observingCharts: boolean } {
    return { consoles: this.#table.consoleCount, pages: this.#pages.size, watchingTable: this.#table.watching, observingCharts: this.#charts.observing };
  }

  /** The routes, for a console listening at `address` (HOST:PORT as bound). */
  routes(address: string): Route[] {
    const authority = new ConsoleAuthority({ address, token: this.#options.token });
    const assets = this.#assets;
    /** The page and its files: only the Host check (the login form must load without a session). */
    const file = (serve: (context: RouteContext) => void | Promise<void>) => (context: RouteContext) => {
      const refusal = authority.hostRefusal(context.request);
      return refusal === undefined ? serve(context) : sendRefusal(context.response, refusal);
    };
    const read = (handle: (context: RouteContext) => void | Promise<void>) => this.#guarded((r) => authority.readRefusal(r), handle);
    const act = (handle: (context: RouteContext) => void | Promise<void>) => this.#guarded((r) => authority.actRefusal(r), handle);
    return [
      { method: 'GET', path: '/', handle: file(({ response }) => assets.page(response)) },
      { method: 'GET', path: '/style.css', handle: file(({ response }) => assets.style(response)) },
      { method: 'GET', path: '/app/:file', handle: file(({ response, params }) => assets.script(response, params.file!)) },
      { method: 'GET', path: '/assets/mermaid.min.js', handle: file(({ request, response }) => assets.mermaid(request, response)) },
      { method: 'GET', path: '/api/session', handle: file(({ request, response }) => sendJson(response, 200, this.#session(authority, request))) },
      {
        method: 'POST',
        path: '/api/login',
        handle: this.#guarded(
          (r) => authority.hostRefusal(r) ?? authority.guardRefusal(r),
          async ({ request, response }) => {
            const body = await readJsonBody(request);
            const token = typeof body.token === 'string' ? body.token : '';
            const cookie = authority.login(token);
            if (cookie === undefined) {
              return sendRefusal(response, { code: 401, reason: authority.loginPossible ? 'wrong token' : 'the daemon has no token (--token-file)' });
            }
            sendJson(response, 200, this.#session(authority, request, true), { 'set-cookie': cookie });
          },
        ),
      },
      {
        method: 'POST',
        path: '/api/logout',
        handle: this.#guarded(
          (r) => authority.hostRefusal(r) ?? authority.guardRefusal(r),
          ({ response }) => sendJson(response, 200, {}, { 'set-cookie': authority.logoutCookie() }),
        ),
      },
      { method: 'GET', path: '/api/feed', handle: read(({ response }) => this.#table.open(new SseStream(response))) },
      {
        method: 'GET',
        path: '/api/processes/:name',
        handle: read(({ response, params }) => {
          const { id } = this.#options.reads.entry(params.name!);
          sendJson(response, 200, this.#page.detail(id));
        }),
      },
      {
        method: 'GET',
        path: '/api/processes/:name/feed',
        handle: read(({ response, params }) => {
          const { id } = this.#options.reads.entry(params.name!);
          const stream = new SseStream(response);
          this.#pages.add(stream);
          stream.onClose(() => this.#pages.delete(stream));
          openProcessPage(stream, id, this.#page, this.#options.logger);
        }),
      },
      {
        method: 'POST',
        path: '/api/processes/:name/:action',
        handle: act(async ({ request, response, params }) => {
          const action = params.action as ConsoleAction;
          if (!(consoleActions as readonly string[]).includes(action)) {
            throw new StatevisorError('E_NOT_FOUND', `no action "${params.action}": expected one of ${consoleActions.join(', ')}`);
          }
          const body = await readJsonBody(request);
          const view = await this.#act(action, params.name!, body);
          sendJson(response, 200, { process: view === undefined ? null : rowOf(view) });
        }),
      },
    ];
  }

  /** The daemon is stopping: end every stream. */
  closeAll(): void {
    this.#table.closeAll();
    for (const stream of [...this.#pages]) stream.end();
  }

  async #act(action: ConsoleAction, name: string, body: Record<string, unknown>) {
    const { verbs, reads } = this.#options;
    switch (action) {
      case 'start':
        return verbs.start(name);
      case 'stop':
        // The page follows the stop on its feed: no need to hold the request for the grace period.
        return verbs.stop(name, { noWait: true });
      case 'restart':
        return verbs.restart(name);
      case 'signal': {
        const { signal, group } = body;
        if (typeof signal !== 'string' || signal === '') {
          throw new StatevisorError('E_INVALID_ARGUMENT', `signal: got ${JSON.stringify(signal ?? null)}, expected a signal name such as HUP or TERM`);
        }
        verbs.signal(name, /^\d+$/.test(signal) ? Number(signal) : signal, { group: group === true });
        return reads.view(reads.entry(name));
      }
    }
  }

  #session(authority: ConsoleAuthority, request: http.IncomingMessage, loggedIn = false): SessionInfo {
    const readRefusal = loggedIn ? undefined : authority.readRefusal(request);
    return {
      version: this.#options.version,
      loopback: authority.loopback,
      canRead: readRefusal === undefined,
      canAct: readRefusal === undefined,
      loginPossible: authority.loginPossible,
      reason: readRefusal?.reason ?? '',
    };
  }

  /** A handler behind an authority check; its coded errors answered as API errors. */
  #guarded(refusalOf: (request: http.IncomingMessage) => Refusal | undefined, handle: (context: RouteContext) => void | Promise<void>) {
    const { logger, shuttingDown } = this.#options;
    return async (context: RouteContext): Promise<void> => {
      const refusal = refusalOf(context.request);
      if (refusal !== undefined) return sendRefusal(context.response, refusal);
      if (shuttingDown()) return sendError(context.response, new StatevisorError('E_UNAVAILABLE', 'the daemon is stopping'), logger);
      try {
        await handle(context);
      } catch (error) {
        if (context.response.headersSent) throw error;
        sendError(context.response, error, logger);
      }
    };
  }
}
