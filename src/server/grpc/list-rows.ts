/**
 * ListProcesses, answered from rows encoded once. At 1,000 processes, making every view and
 * serializing it (proto-loader's fromObject + encode) took most of a List's time on the daemon;
 * yet between two Lists few rows change. Each process's row is kept in its wire bytes with the
 * inputs it was made of (live-views.ts: spec, chart snapshot, pid, usage sample — each replaced,
 * never changed, so compared by identity) and made again only when one of them is another.
 *
 * The one figure that moves without any of them is the uptime: a row's bytes leave it out, and
 * the answer appends it to each running row as its own field (uptime_ms, 14), which a protobuf
 * reader takes wherever it comes in the message. A repeated message field is its entries'
 * encodings one after another, so the answer is the rows' bytes, each behind its tag and length.
 */
import { wire } from '../../proto/load.js';
import type { ProcessEntry } from '../process-table.js';
import { sameInputs, type ViewInputs } from '../live-views.js';
import { upSince, uptimeAt, type ProcessView } from '../process-view.js';
import { EncodedMessage } from './encoded-message.js';
import { processToWire } from './wire-process.js';

/** What the rows are read from: ProcessReads. */
export interface ListSource {
  listInputs(labelSelector: string): { entry: ProcessEntry; inputs: ViewInputs }[];
  viewFrom(entry: ProcessEntry, inputs: ViewInputs): ProcessView;
  now(): number;
}

interface Row {
  readonly inputs: ViewInputs;
  /** The Process message without uptime_ms. */
  readonly body: Buffer;
  /** When the row's uptime counts from; undefined: it has none. */
  readonly since: number | undefined;
}

/** ListProcessesResponse.processes is field 1, Process.uptime_ms field 14: their tags. */
const processesTag = (1 << 3) | 2;
const uptimeTag = (14 << 3) | 0;

const listResponse = wire.statevisor.v1.ProcessManager.service.ListProcesses;

function varintSize(value: number): number {
  let size = 1;
  for (let v = value; v >= 128; v = Math.floor(v / 128)) size++;
  return size;
}

/** Plain arithmetic, not bit operators: an uptime may pass 2^31. */
function writeVarint(buffer: Buffer, offset: number, value: number): number {
  let v = value;
  while (v >= 128) {
    buffer[offset++] = (v % 128) | 128;
    v = Math.floor(v / 128);
  }
  buffer[offset++] = v;
  return offset;
}

/** A Process message's bytes: serialized as a one-row answer, behind its tag and length. */
function processBytes(view: ProcessView): Buffer {
  const answer = listResponse.responseSerialize({ processes: [{ ...processToWire(view), uptime_ms: 0 }] });
  let offset = 1;
  while (answer[offset]! >= 128) offset++;
  return Buffer.from(answer.subarray(offset + 1));
}

export class ListRows {
  /** Weak: a deleted process's row goes with its table entry. */
  readonly #rows = new WeakMap<ProcessEntry, Row>();

  constructor(private readonly source: ListSource) {}

  /** The ListProcessesResponse of `labelSelector`, encoded. */
  answer(labelSelector: string): EncodedMessage {
    const rows = this.source.listInputs(labelSelector).map(({ entry, inputs }) => this.#row(entry, inputs));
    const now = this.source.now();
    // Whole milliseconds, as protobufjs writes an int64 given a fraction.
    const uptimes = rows.map((row) => (row.since === undefined ? 0 : Math.trunc(uptimeAt(row.since, now))));
    let size = 0;
    const lengths = rows.map((row, i) => {
      const uptime = uptimes[i]!;
      const length = row.body.length + (uptime > 0 ? 1 + varintSize(uptime) : 0);
      size += 1 + varintSize(length) + length;
      return length;
    });
    const bytes = Buffer.allocUnsafe(size);
    let offset = 0;
    rows.forEach((row, i) => {
      bytes[offset++] = processesTag;
      offset = writeVarint(bytes, offset, lengths[i]!);
      offset += row.body.copy(bytes, offset);
      if (uptimes[i]! > 0) {
        bytes[offset++] = uptimeTag;
        offset = writeVarint(bytes, offset, uptimes[i]!);
      }
    });
    return new EncodedMessage(bytes);
  }

  #row(entry: ProcessEntry, inputs: ViewInputs): Row {
    const kept = this.#rows.get(entry);
    if (kept !== undefined && sameInputs(kept.inputs, inputs)) return kept;
    const view = this.source.viewFrom(entry, inputs);
    const row = { inputs, body: processBytes(view), since: upSince(view) };
    this.#rows.set(entry, row);
    return row;
  }
}
