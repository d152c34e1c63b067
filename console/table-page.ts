/**
 * The process table: every process, live from /api/feed (a snapshot, then the rows that
 * changed), filtered by name, state or label, sorted by name, shown a page of 100 rows at a time
 * so that a daemon of 1,000 processes stays quick to draw. Only the visible page is in the DOM;
 * updates are drawn at most once a frame, and uptimes are counted here, once a second.
 */
import type { ProcessRow, TableDelta, TableSnapshot } from '../src/server/http/console-wire.js';
import { el, replace } from './dom.js';
import { bytes, duration, percent, ServerClock } from './format.js';

export const pageSize = 100;

/** Whether `row` matches every word of the filter: `key=value` a label, else part of the name or the state. */
export function matches(row: ProcessRow, filter: string): boolean {
  const words = filter.trim().toLowerCase().split(/\s+/).filter((word) => word !== '');
  return words.every((word) => {
    const at = word.indexOf('=');
    if (at > 0) {
      const key = word.slice(0, at);
      const value = word.slice(at + 1);
      return Object.entries(row.labels).some(([k, v]) => k.toLowerCase() === key && (value === '' || v.toLowerCase() === value));
    }
    return row.name.toLowerCase().includes(word) || row.state.toLowerCase() === word;
  });
}

export class TablePage {
  readonly #rows = new Map<string, ProcessRow>();
  readonly #clock = new ServerClock();
  readonly #root: HTMLElement;
  readonly #filter: HTMLInputElement;
  readonly #summary: HTMLElement;
  readonly #body: HTMLTableSectionElement;
  readonly #pager: HTMLElement;
  readonly #status: HTMLElement;
  #page = 0;
  #frame: number | undefined;
  #source: EventSource | undefined;
  #ticker: number | undefined;

  constructor(
    container: HTMLElement,
    private readonly onUnauthorized: () => void,
  ) {
    this.#filter = el('input', { type: 'search', placeholder: 'filter: name, state, or label key=value', testId: 'filter' });
    this.#filter.addEventListener('input', () => {
      this.#page = 0;
      this.#draw();
    });
    this.#summary = el('span', { className: 'summary', testId: 'summary' });
    this.#status = el('span', { className: 'feed-status', testId: 'feed-status' }, 'connecting…');
    this.#body = el('tbody');
    this.#pager = el('div', { className: 'pager' });
    const head = ['name', 'state', 'health', 'cpu', 'memory', 'restarts', 'uptime', 'last error'];
    this.#root = el(
      'section',
      { className: 'table-page' },
      el('div', { className: 'toolbar' }, this.#filter, this.#summary, this.#status),
      el('table', { className: 'processes', testId: 'processes' }, el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))), this.#body),
      this.#pager,
    );
    replace(container, this.#root);
  }

  open(): void {
    const source = new EventSource('/api/feed');
    this.#source = source;
    source.addEventListener('open', () => replace(this.#status, 'live'));
    source.addEventListener('snapshot', (event) => {
      const snapshot = JSON.parse((event as MessageEvent<string>).data) as TableSnapshot;
      this.#clock.saw(snapshot.at);
      this.#rows.clear();
      for (const row of snapshot.rows) this.#rows.set(row.id, row);
      this.#schedule();
    });
    source.addEventListener('rows', (event) => {
      const delta = JSON.parse((event as MessageEvent<string>).data) as TableDelta;
      this.#clock.saw(delta.at);
      for (const row of delta.rows) this.#rows.set(row.id, row);
      for (const id of delta.gone) this.#rows.delete(id);
      this.#schedule();
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        replace(this.#status, 'disconnected');
        this.onUnauthorized();
      } else {
        replace(this.#status, 'reconnecting…');
      }
    });
    this.#ticker = window.setInterval(() => this.#schedule(), 1000);
  }

  close(): void {
    this.#source?.close();
    window.clearInterval(this.#ticker);
    if (this.#frame !== undefined) cancelAnimationFrame(this.#frame);
  }

  #schedule(): void {
    this.#frame ??= requestAnimationFrame(() => {
      this.#frame = undefined;
      this.#draw();
    });
  }

  #draw(): void {
    const filter = this.#filter.value;
    const shown = [...this.#rows.values()].filter((row) => matches(row, filter)).sort((a, b) => a.name.localeCompare(b.name));
    const pages = Math.max(1, Math.ceil(shown.length / pageSize));
    this.#page = Math.min(this.#page, pages - 1);
    const first = this.#page * pageSize;
    const visible = shown.slice(first, first + pageSize);
    const now = this.#clock.now();
    replace(this.#body, ...visible.map((row) => this.#row(row, now)));
    const counts = new Map<string, number>();
    for (const row of this.#rows.values()) counts.set(row.state, (counts.get(row.state) ?? 0) + 1);
    replace(
      this.#summary,
      `${this.#rows.size} processes`,
      ...[...counts].sort().map(([state, n]) => el('span', { className: `count state-${state.toLowerCase()}` }, `${state} ${n}`)),
    );
    replace(
      this.#pager,
      el('button', { type: 'button', disabled: this.#page === 0, onClick: () => this.#turn(-1), testId: 'previous' }, '‹ previous'),
      el('span', { testId: 'page' }, shown.length === 0 ? 'no process matches' : `${first + 1}–${first + visible.length} of ${shown.length}`),
      el('button', { type: 'button', disabled: this.#page >= pages - 1, onClick: () => this.#turn(1), testId: 'next' }, 'next ›'),
    );
  }

  #turn(by: number): void {
    this.#page += by;
    this.#draw();
  }

  #row(row: ProcessRow, now: number): HTMLTableRowElement {
    const running = row.pid > 0;
    const lastError = row.lastError;
    return el(
      'tr',
      { className: `state-${row.state.toLowerCase()}`, data: { name: row.name, state: row.state } },
      el('td', {}, el('a', { href: `#/p/${encodeURIComponent(row.name)}` }, row.name)),
      el('td', { className: 'state' }, row.state),
      el('td', {}, row.health === 'unknown' ? '-' : row.health),
      el('td', { className: 'num' }, percent(row.cpuPercent, running && row.memoryBytes > 0)),
      el('td', { className: 'num' }, bytes(row.memoryBytes)),
      el('td', { className: 'num' }, row.restartCount),
      el('td', { className: 'num' }, row.upSince === null ? '-' : duration(now - row.upSince)),
      el('td', { className: 'error', title: lastError }, lastError),
    );
  }
}
