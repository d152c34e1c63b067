/**
 * One process's page, live from its feed (/api/processes/NAME/feed): the statechart with its
 * current state lit and the move that put it there, the recent transitions and chart moves, the
 * usage figures, the log tail (stdout and stderr), the spec and what is enforced of it, and the
 * start / stop / restart / signal buttons. Every text is set as text (dom.ts).
 */
import type { ChartMove, ChartState, LogLine, Notice, ProcessDetail } from '../src/server/http/console-wire.js';
import { act, ApiFailure, processPath, type Action } from './api.js';
import { ChartView } from './chart-view.js';
import { el, replace } from './dom.js';
import { bytes, clock, duration, percent, ServerClock } from './format.js';

/** Lines kept in the log view: older ones scroll away. */
export const logLinesKept = 1000;

const signals = ['HUP', 'INT', 'TERM', 'USR1', 'USR2', 'KILL', 'QUIT', 'CONT', 'STOP'];

export class ProcessPage {
  readonly #clock = new ServerClock();
  readonly #header = el('div', { className: 'process-header', testId: 'process-header' });
  readonly #actionStatus = el('span', { className: 'action-status', testId: 'action-status' });
  readonly #chart = el('div', { className: 'chart', testId: 'chart' });
  readonly #chartView = new ChartView(this.#chart);
  readonly #chartCaption = el('div', { className: 'chart-caption', testId: 'chart-caption' });
  readonly #usage = el('dl', { className: 'usage', testId: 'usage' });
  readonly #transitions = el('tbody');
  readonly #moves = el('tbody');
  readonly #log = el('div', { className: 'log', testId: 'log' });
  readonly #notices = el('div', { className: 'notices', testId: 'notices' });
  readonly #spec = el('pre', { className: 'spec', testId: 'spec' });
  readonly #enforcement = el('ul', { className: 'enforcement', testId: 'enforcement' });
  readonly #buttons: HTMLButtonElement[] = [];
  readonly #signal = el('select', {});
  readonly #group = el('input', { type: 'checkbox' });
  #source: EventSource | undefined;
  #detail: ProcessDetail | undefined;
  #ticker: number | undefined;

  constructor(
    container: HTMLElement,
    private readonly name: string,
    private readonly canAct: boolean,
    private readonly onUnauthorized: () => void,
  ) {
    for (const signal of signals) this.#signal.appendChild(el('option', { value: signal }, signal));
    const button = (action: Action, label: string) => {
      const node = el('button', { type: 'button', disabled: !canAct, testId: `action-${action}`, onClick: () => void this.#act(action) }, label);
      this.#buttons.push(node);
      return node;
    };
    replace(
      container,
      el('p', {}, el('a', { href: '#/' }, '← all processes')),
      this.#header,
      el(
        'div',
        { className: 'actions' },
        button('start', 'Start'),
        button('stop', 'Stop'),
        button('restart', 'Restart'),
        el('span', { className: 'signal' }, button('signal', 'Signal'), this.#signal, el('label', {}, this.#group, ' to its group')),
        this.#actionStatus,
        canAct ? null : el('span', { className: 'muted' }, 'log in to act'),
      ),
      this.#notices,
      el('section', { className: 'chart-section' }, el('h2', {}, 'Statechart'), el('div', { className: 'chart-bar' }, this.#chartCaption, this.#chartView.controls()), this.#chart),
      el(
        'div',
        { className: 'columns' },
        el(
          'section',
          {},
          el('h2', {}, 'Recent transitions'),
          el('table', { className: 'transitions', testId: 'transitions' }, el('thead', {}, el('tr', {}, el('th', {}, 'time'), el('th', {}, 'from → to'), el('th', {}, 'why'))), this.#transitions),
        ),
        el(
          'section',
          {},
          el('h2', {}, 'Usage'),
          this.#usage,
          el('h2', {}, 'Chart moves seen here'),
          el('table', { className: 'moves', testId: 'moves' }, el('thead', {}, el('tr', {}, el('th', {}, 'time'), el('th', {}, 'event'), el('th', {}, 'to'))), this.#moves),
        ),
      ),
      el('h2', {}, 'Log tail'),
      this.#log,
      el('div', { className: 'columns' }, el('section', {}, el('h2', {}, 'Spec'), this.#spec), el('section', {}, el('h2', {}, 'Enforcement'), this.#enforcement)),
    );
  }

  open(): void {
    const source = new EventSource(`${processPath(this.name)}/feed`);
    this.#source = source;
    // Each (re)connection starts with the tail again.
    source.addEventListener('open', () => replace(this.#log));
    source.addEventListener('process', (event) => this.#showDetail(JSON.parse((event as MessageEvent<string>).data) as ProcessDetail));
    source.addEventListener('chart', (event) => this.#showChart(JSON.parse((event as MessageEvent<string>).data) as ChartState));
    source.addEventListener('log', (event) => this.#appendLog(JSON.parse((event as MessageEvent<string>).data) as LogLine));
    source.addEventListener('notice', (event) => {
      const { text } = JSON.parse((event as MessageEvent<string>).data) as Notice;
      this.#notices.appendChild(el('p', { className: 'notice' }, text));
    });
    source.addEventListener('gone', () => {
      source.close();
      replace(this.#notices, el('p', { className: 'notice' }, `${this.name} was deleted`));
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED && this.#detail === undefined) {
        replace(this.#header, el('h1', {}, this.name), el('p', { className: 'error' }, 'no such process, or not allowed'));
        this.onUnauthorized();
      }
    });
    this.#ticker = window.setInterval(() => this.#drawHeader(), 1000);
  }

  close(): void {
    this.#source?.close();
    window.clearInterval(this.#ticker);
  }

  async #act(action: Action): Promise<void> {
    for (const button of this.#buttons) button.disabled = true;
    replace(this.#actionStatus, `${action}…`);
    try {
      const body = action === 'signal' ? { signal: this.#signal.value, group: this.#group.checked } : {};
      const row = await act(this.name, action, body);
      replace(this.#actionStatus, `${action}: done${row === null ? '' : ` (${row.state})`}`);
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) this.onUnauthorized();
      replace(this.#actionStatus, el('span', { className: 'error' }, `${action} failed: ${(error as Error).message}`));
    } finally {
      for (const button of this.#buttons) button.disabled = !this.canAct;
    }
  }

  #showDetail(detail: ProcessDetail): void {
    this.#detail = detail;
    this.#clock.saw(detail.at);
    this.#drawHeader();
    const { process: p } = detail;
    const running = p.pid > 0;
    replace(
      this.#usage,
      ...[
        ['cpu', percent(p.cpuPercent, running && p.memoryBytes > 0)],
        ['memory', bytes(p.memoryBytes)],
        ['restarts', String(p.restartCount)],
        ['runs', String(p.runCount)],
        ['health', p.health],
        ['last exit', p.exitCode !== null ? `code ${p.exitCode}` : p.signal !== null ? p.signal : '-'],
      ].flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]),
    );
    replace(
      this.#transitions,
      ...[...detail.transitions].reverse().map((t) => el('tr', {}, el('td', {}, clock(t.at)), el('td', {}, `${t.from ?? '·'} → ${t.to}`), el('td', {}, t.reason))),
    );
    replace(this.#spec, detail.specYaml);
    replace(
      this.#enforcement,
      ...detail.enforcement.map((e) =>
        el('li', { className: e.enforced ? 'enforced' : 'not-enforced' }, el('span', { className: 'mark' }, e.enforced ? '✓ ' : '✗ '), el('code', {}, e.field), ' ', e.detail),
      ),
    );
  }

  #drawHeader(): void {
    const detail = this.#detail;
    if (detail === undefined) return;
    const { process: p } = detail;
    const uptime = p.upSince === null ? '' : ` · up ${duration(this.#clock.now() - p.upSince)}`;
    replace(
      this.#header,
      el('h1', {}, p.name, ' ', el('span', { className: `badge state-${p.state.toLowerCase()}`, testId: 'state' }, p.state)),
      el('p', { className: 'command' }, el('code', {}, [detail.command, ...detail.args].join(' '))),
      el('p', { className: 'muted' }, `pid ${p.pid > 0 ? p.pid : '-'}${uptime} · phase ${p.phase || '-'}`, detail.restartPending.length > 0 ? ` · spec changed, restart pending: ${detail.restartPending.join(', ')}` : ''),
      p.lastError === '' ? null : el('p', { className: 'error', testId: 'last-error' }, p.lastError),
      detail.recovery === '' ? null : el('p', { className: 'muted' }, `recovery: ${detail.recovery}`),
    );
  }

  #showChart(chart: ChartState): void {
    this.#chart.dataset.active = chart.active.join(' ');
    const last: ChartMove | null = chart.last;
    replace(
      this.#chartCaption,
      el('span', {}, 'now: '),
      el('code', { testId: 'chart-active' }, chart.active.length === 0 ? '(not started)' : chart.active.join(', ')),
      last === null ? null : el('span', { className: 'muted' }, ` · moved by `, el('code', { testId: 'chart-event' }, last.event), ` at ${clock(last.at)}`),
    );
    replace(this.#moves, ...[...chart.moves].reverse().map((m) => el('tr', {}, el('td', {}, clock(m.at)), el('td', {}, el('code', {}, m.event)), el('td', {}, m.to.join(', ')))));
    this.#chartView.show(chart.mermaid, chart.lit);
  }

  #appendLog({ stream, line }: LogLine): void {
    const stick = this.#log.scrollTop + this.#log.clientHeight >= this.#log.scrollHeight - 4;
    this.#log.appendChild(el('div', { className: `line ${stream}` }, el('span', { className: 'stream' }, stream === 'stderr' ? 'err' : 'out'), line));
    while (this.#log.childElementCount > logLinesKept) this.#log.firstElementChild?.remove();
    if (stick) this.#log.scrollTop = this.#log.scrollHeight;
  }
}
