/**
 * The process table's live feed (GET /api/feed), shared by every open console. What it costs the
 * daemon does not grow with the consoles: changes are collected as process ids while any console
 * is open (nothing at all while none is), and twice a second the rows of the changed processes
 * are built and serialised once; only rows that differ from what was last sent go out, as one
 * message written to every console. CPU and memory change with the usage sampler's cycles, so
 * after each cycle every row is looked at again (and still only changed ones are sent).
 *
 * A console starts with a snapshot of every row (from the cache of rows last sent, so it costs no
 * views). A console that cannot keep up is not buffered for: while its socket is full it is sent
 * nothing, and once it drains it gets one fresh snapshot (what it missed, at once).
 */
import type { ProcessRow } from './console-wire.js';
import type { SseStream } from './sse.js';

export interface TableSource {
  /** Every process's row. */
  rows(): ProcessRow[];
  /** One process's row; undefined once it is gone. */
  row(id: string): ProcessRow | undefined;
  /** The usage sampler's cycle count: when it moves, cpu and memory may have. */
  usageCycles(): number;
  now(): number;
  /** Call `changed` with a process id whenever something of it changed; returns the way to stop. */
  watch(changed: (id: string) => void, ended: () => void): () => void;
}

export const tableTickMs = 500;

export class TableFeed {
  readonly #consoles = new Set<SseStream>();
  /** Each process's row as last sent, serialised. */
  readonly #sent = new Map<string, string>();
  readonly #dirty = new Set<string>();
  #unwatch: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #usageSeen = 0;

  constructor(
    private readonly source: TableSource,
    private readonly tickMs = tableTickMs,
  ) {}

  get consoleCount(): number {
    return this.#consoles.size;
  }

  /** Whether changes are being collected (only while a console is open). */
  get watching(): boolean {
    return this.#unwatch !== undefined;
  }

  open(stream: SseStream): void {
    if (this.#unwatch === undefined) this.#start();
    else this.flush();
    this.#consoles.add(stream);
    stream.latest('snapshot', this.#snapshot());
    stream.onClose(() => {
      this.#consoles.delete(stream);
      if (this.#consoles.size === 0) this.#stop();
    });
  }

  /** Sends what changed since the last flush (the timer calls it). */
  flush(): void {
    const cycles = this.source.usageCycles();
    if (cycles !== this.#usageSeen) {
      this.#usageSeen = cycles;
      for (const id of this.#sent.keys()) this.#dirty.add(id);
    }
    if (this.#dirty.size === 0) return;
    const rows: string[] = [];
    const gone: string[] = [];
    for (const id of this.#dirty) {
      const row = this.source.row(id);
      if (row === undefined) {
        if (this.#sent.delete(id)) gone.push(id);
        continue;
      }
      const json = JSON.stringify(row);
      if (this.#sent.get(id) === json) continue;
      this.#sent.set(id, json);
      rows.push(json);
    }
    this.#dirty.clear();
    if (rows.length === 0 && gone.length === 0) return;
    const delta = `{"at":${this.source.now()},"rows":[${rows.join(',')}],"gone":${JSON.stringify(gone)}}`;
    for (const stream of this.#consoles) {
      // Behind: no delta it could not apply; one snapshot when it drains.
      if (stream.blocked) stream.latest('snapshot', () => this.#snapshot());
      else stream.latest('rows', delta);
    }
  }

  /** The daemon is stopping: end every console's feed. */
  closeAll(): void {
    for (const stream of [...this.#consoles]) stream.end();
    this.#stop();
  }

  #snapshot(): string {
    return `{"at":${this.source.now()},"rows":[${[...this.#sent.values()].join(',')}]}`;
  }

  #start(): void {
    this.#unwatch = this.source.watch(
      (id) => this.#dirty.add(id),
      () => this.closeAll(),
    );
    this.#usageSeen = this.source.usageCycles();
    for (const row of this.source.rows()) this.#sent.set(row.id, JSON.stringify(row));
    this.#timer = setInterval(() => this.flush(), this.tickMs);
    this.#timer.unref();
  }

  #stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    const unwatch = this.#unwatch;
    this.#unwatch = undefined;
    unwatch?.();
    this.#sent.clear();
    this.#dirty.clear();
  }
}
