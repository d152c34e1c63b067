/**
 * The table's live feed: rows are sent only when they differ from what was sent, once for all
 * consoles; a console that cannot keep up gets no delta it could not apply, and one snapshot when
 * it drains; nothing is watched while no console is open.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { TableFeed, type TableSource } from '../../src/server/http/table-feed.js';
import { SseStream } from '../../src/server/http/sse.js';
import type { ProcessRow } from '../../src/server/http/console-wire.js';

/** A response that records what is written, and says it is full while `full` is set. */
class FakeResponse extends EventEmitter {
  readonly frames: { event: string; data: unknown }[] = [];
  full = false;

  writeHead(): this {
    return this;
  }

  write(text: string): boolean {
    const event = /^event: (.*)\ndata: (.*)\n\n$/.exec(text);
    if (event) this.frames.push({ event: event[1]!, data: JSON.parse(event[2]!) });
    return !this.full;
  }

  end(): void {
    this.emit('close');
  }

  drain(): void {
    this.full = false;
    this.emit('drain');
  }

  take(): { event: string; data: unknown }[] {
    return this.frames.splice(0);
  }
}

function row(name: string, state = 'RUNNING', cpuPercent = 0): ProcessRow {
  return { id: `id-${name}`, name, state, phase: '', pid: 1, health: 'unknown', cpuPercent, memoryBytes: 0, restartCount: 0, runCount: 1, upSince: 1, exitCode: null, signal: null, lastError: '', labels: {} };
}

function fakeSource() {
  const rows = new Map<string, ProcessRow>();
  let changed: ((id: string) => void) | undefined;
  let cycles = 0;
  let watching = 0;
  const source: TableSource = {
    rows: () => [...rows.values()],
    row: (id) => rows.get(id),
    usageCycles: () => cycles,
    now: () => 1000,
    watch: (onChange) => {
      watching += 1;
      changed = onChange;
      return () => {
        watching -= 1;
        changed = undefined;
      };
    },
  };
  return {
    source,
    set(next: ProcessRow, notify = true) {
      rows.set(next.id, next);
      if (notify) changed?.(next.id);
    },
    remove(id: string) {
      rows.delete(id);
      changed?.(id);
    },
    touch(id: string) {
      changed?.(id);
    },
    cycle() {
      cycles += 1;
    },
    get watching() {
      return watching;
    },
  };
}

function open(feed: TableFeed): FakeResponse {
  const response = new FakeResponse();
  feed.open(new SseStream(response as unknown as http.ServerResponse));
  return response;
}

test('a console gets every row, then only the rows that changed; an event that changed nothing sends nothing', () => {
  const s = fakeSource();
  s.set(row('a'));
  s.set(row('b'));
  const feed = new TableFeed(s.source, 60_000);
  const one = open(feed);
  const two = open(feed);
  assert.deepEqual(one.take(), [{ event: 'snapshot', data: { at: 1000, rows: [row('a'), row('b')] } }]);
  two.take();

  s.set(row('a', 'BACKOFF'));
  s.touch('id-b');
  feed.flush();
  const delta = { event: 'rows', data: { at: 1000, rows: [row('a', 'BACKOFF')], gone: [] } };
  assert.deepEqual(one.take(), [delta]);
  assert.deepEqual(two.take(), [delta], 'the same message to every console');

  s.touch('id-a');
  feed.flush();
  assert.deepEqual(one.take(), [], 'a row like the one sent is not sent again');

  s.remove('id-b');
  feed.flush();
  assert.deepEqual(one.take(), [{ event: 'rows', data: { at: 1000, rows: [], gone: ['id-b'] } }]);
  feed.closeAll();
});

test('after a usage cycle every row is looked at again, and the ones whose figures moved are sent', () => {
  const s = fakeSource();
  s.set(row('a'));
  s.set(row('b'));
  const feed = new TableFeed(s.source, 60_000);
  const console = open(feed);
  console.take();
  s.set(row('b', 'RUNNING', 12.5), false);
  feed.flush();
  assert.deepEqual(console.take(), [], 'no event, no look');
  s.cycle();
  feed.flush();
  assert.deepEqual(console.take(), [{ event: 'rows', data: { at: 1000, rows: [row('b', 'RUNNING', 12.5)], gone: [] } }]);
  feed.closeAll();
});

test('a console that cannot keep up is sent no delta, and one fresh snapshot once it drains', () => {
  const s = fakeSource();
  s.set(row('a'));
  const feed = new TableFeed(s.source, 60_000);
  const slow = open(feed);
  const fast = open(feed);
  slow.take();
  fast.take();
  slow.full = true;
  s.set(row('a', 'STOPPING'));
  feed.flush();
  s.set(row('b'));
  feed.flush();
  s.set(row('a', 'STOPPED'));
  feed.flush();
  assert.equal(fast.take().length, 3);
  assert.deepEqual(slow.take().map((f) => f.event), ['rows'], 'the write that filled it, then nothing');
  slow.drain();
  assert.deepEqual(slow.take(), [{ event: 'snapshot', data: { at: 1000, rows: [row('a', 'STOPPED'), row('b')] } }]);
  feed.closeAll();
});

test('changes are watched only while a console is open', () => {
  const s = fakeSource();
  const feed = new TableFeed(s.source, 60_000);
  assert.equal(s.watching, 0);
  const a = open(feed);
  const b = open(feed);
  assert.equal(s.watching, 1, 'one watch for every console');
  a.end();
  assert.equal(s.watching, 1);
  b.end();
  assert.equal(s.watching, 0);
  assert.equal(feed.watching, false);
});
