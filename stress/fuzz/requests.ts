/**
 * One fuzzed request: which RPC, how it was made, and its bytes. Four ways, mixed:
 *   valid    — a well-typed request of good values (real processes start; deep paths run);
 *   hostile  — well-typed or not: bad and hostile values, wrong wire types, unknown fields,
 *              invalid UTF-8, 1 MB strings, huge lists and maps, garbage inside a nested message;
 *   mutated  — a valid request with bytes flipped, inserted, deleted, duplicated or cut
 *              (never inside a protected value: values.ts);
 *   garbage  — random bytes.
 */
import type { Prng } from '../prng.js';
import type { FieldSchema, MessageSchema, RpcSchema } from './schema.js';
import { choose, protectedFields, safeCommands, type FuzzContext, type Value } from './values.js';
import { double, encode, WireType, type Entry } from './wire-writer.js';

export type Mode = 'valid' | 'hostile' | 'mutated' | 'garbage';
export const modes: readonly Mode[] = ['valid', 'hostile', 'mutated', 'garbage'];

export interface FuzzRequest {
  readonly rpc: RpcSchema;
  readonly mode: Mode;
  readonly bytes: Buffer;
  /** A stream that must end on its own (StreamLogs without follow); others are cancelled once they answer. */
  readonly ends: boolean;
}

/** Fields a good request always sends (Message.field): without them nothing deeper is reached. */
const requiredWhenGood = new Set(['CreateProcessRequest.spec', 'UpdateProcessRequest.spec', 'HealthCheckSpec.type', 'CommandLine.argv']);

/** About what the daemon accepts (4 MB a message); now and then a request goes past it. */
const requestBudget = 4 * 1024 * 1024;

const interestingInts = [0n, 1n, -1n, 127n, 128n, 255n, 65535n, 2n ** 31n - 1n, 2n ** 31n, -(2n ** 31n), 2n ** 53n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n];
const interestingDoubles = [0, -0, 1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_VALUE, Number.MIN_VALUE];

function bytesOf(value: Value): Buffer {
  return typeof value === 'string' ? Buffer.from(value) : value;
}

export class RequestMaker {
  /** Bytes of protected values in the request being made: the mutator leaves them alone. */
  #protected: Buffer[] = [];
  /** Bytes the request being made may still take (roughly: strings, and a few per field): it stays a few MB. */
  #budget = 0;
  #hugeListMade = false;
  /** The type a coherent health check was given (its `type` field must say the same). */
  #healthType: string | undefined;

  constructor(
    private readonly prng: Prng,
    private readonly ctx: FuzzContext,
  ) {}

  /** Which RPC next: each as often, but CreateProcess and UpdateProcess (the spec: most fields) three times as often. */
  pickRpc(rpcs: readonly RpcSchema[]): RpcSchema {
    const weighted = rpcs.flatMap((rpc) => (rpc.name === 'CreateProcess' || rpc.name === 'UpdateProcess' ? [rpc, rpc, rpc] : [rpc]));
    return this.prng.pick(weighted);
  }

  make(rpc: RpcSchema): FuzzRequest {
    const roll = this.prng.next();
    const mode: Mode = roll < 0.35 ? 'valid' : roll < 0.65 ? 'hostile' : roll < 0.88 ? 'mutated' : 'garbage';
    this.#protected = [];
    this.#budget = requestBudget;
    this.#hugeListMade = false;
    let bytes: Buffer;
    let ends = false;
    if (mode === 'garbage') {
      bytes = this.garbage();
    } else {
      const good = mode !== 'hostile';
      const entries = this.message(rpc.request, '', good, 0);
      if (rpc.name === 'StreamLogs') ends = good && !entries.some((e) => e.number === 4 && e.wireType === WireType.Varint && e.value !== 0n);
      bytes = encode(entries);
      if (mode === 'mutated') {
        bytes = this.mutate(bytes);
        ends = false;
      }
    }
    return { rpc, mode, bytes, ends };
  }

  private message(schema: MessageSchema, path: string, good: boolean, depth: number): Entry[] {
    const { prng } = this;
    const entries: Entry[] = [];
    const isSpec = schema.name === 'ProcessSpec';
    const fields = good ? this.coherent(schema) : schema.fields;
    for (const field of fields) {
      const fieldPath = path === '' ? field.name : `${path}.${field.name}`;
      if (isSpec && good && (field.name === 'name' || field.name === 'command' || field.name === 'args')) continue;
      const always = good && requiredWhenGood.has(`${schema.name}.${field.name}`);
      if (!always && !prng.chance(this.presence(good, isSpec, depth))) continue;
      const count = !field.repeated ? 1 : this.listLength(good, field);
      for (let i = 0; i < count && this.#budget > 0; i++) entries.push(this.field(field, fieldPath, good, depth));
    }
    if (isSpec && good) entries.unshift(...this.runnable());
    if (!good && prng.chance(0.15)) entries.push(this.unknownField(depth));
    if (!good && prng.chance(0.2)) this.shuffle(entries);
    return entries;
  }

  /**
   * How likely a field is sent. A good request almost always has its top-level fields (the spec,
   * the name) and a few of the spec's: each spec field adds a way to be refused, and a refused
   * spec reaches nothing deeper.
   */
  private presence(good: boolean, isSpec: boolean, depth: number): number {
    if (!good) return 0.4;
    if (isSpec) return 0.12;
    return depth === 0 ? 0.9 : 0.5;
  }

  /** The fields a good request may send in `schema`: those that make sense together. */
  private coherent(schema: MessageSchema): readonly FieldSchema[] {
    switch (schema.name) {
      case 'HealthCheckSpec':
        return this.coherentHealthCheck(schema);
      case 'RuntimeSpec':
        // module and export are for worker runtimes, which need both: the kind alone is coherent.
        return schema.fields.filter((field) => field.name === 'kind');
      default:
        return schema.fields;
    }
  }

  /** A health check of a good request: its type, the fields that type uses, and timings. */
  private coherentHealthCheck(schema: MessageSchema): readonly FieldSchema[] {
    const byType: Record<string, readonly string[]> = {
      http: ['url', 'method', 'expected_status'],
      tcp: ['host', 'port'],
      exec: ['command', 'args'],
      grpc: ['host', 'port', 'service'],
    };
    const type = this.prng.pick(Object.keys(byType));
    this.#healthType = type;
    const wanted = new Set(['type', ...byType[type]!, 'interval_ms', 'timeout_ms', 'failure_threshold', 'success_threshold', 'start_period_ms', 'restart_after']);
    return schema.fields.filter((field) => wanted.has(field.name));
  }

  /** name, command and args of a valid spec: a harmless command carrying the marker. */
  private runnable(): Entry[] {
    const { prng, ctx } = this;
    // Half of them sleep: a running process is what signals, usage, logs -f and stops need.
    const command = prng.chance(0.5) ? prng.pick(['sleep', '/bin/sleep']) : prng.pick(safeCommands);
    this.#protected.push(Buffer.from(command));
    const args = command.endsWith('sleep') ? [ctx.markerArg] : [...Array.from({ length: prng.int(3) }, () => prng.pick(['hello', '-n', '0', ''])), ctx.markerArg];
    return [
      { number: 1, wireType: WireType.Bytes, value: Buffer.from(prng.pick(ctx.names)) },
      { number: 4, wireType: WireType.Bytes, value: Buffer.from(command) },
      ...args.map((arg) => ({ number: 5, wireType: WireType.Bytes, value: Buffer.from(arg) }) as Entry),
    ];
  }

  /** Up to 5 items; in one list of a hostile request now and then, 10,000 to 100,000. */
  private listLength(good: boolean, field: FieldSchema): number {
    const { prng } = this;
    // A command line (argv) of a good request is never empty.
    if (good) return field.name === 'argv' ? 1 + prng.int(2) : prng.int(3);
    if (!this.#hugeListMade && prng.chance(0.01)) {
      this.#hugeListMade = true;
      return 10_000 + prng.int(90_000);
    }
    return prng.int(6);
  }

  private field(field: FieldSchema, path: string, good: boolean, depth: number): Entry {
    const { prng } = this;
    const number = field.number;
    this.#budget -= 4;
    if (!good && prng.chance(0.05)) return this.wrongWireType(number);
    switch (field.kind) {
      case 'message': {
        if (!good && prng.chance(0.05)) return { number, wireType: WireType.Bytes, value: this.budgeted(this.garbage()) };
        const entries = field.map ? this.mapEntry(field, path, good) : this.message(field.message!, path, good, depth + 1);
        return { number, wireType: WireType.Bytes, value: encode(entries) };
      }
      case 'string':
      case 'bytes':
        return { number, wireType: WireType.Bytes, value: this.text(path, good) };
      case 'bool':
        return { number, wireType: WireType.Varint, value: !good && prng.chance(0.1) ? prng.pick(interestingInts) : BigInt(prng.int(2)) };
      case 'double':
        return { number, wireType: WireType.Fixed64, value: double(prng.pick(interestingDoubles)) };
      case 'float':
        return { number, wireType: WireType.Fixed32, value: prng.bytes(4) };
      default:
        return { number, wireType: WireType.Varint, value: this.integer(path, good) };
    }
  }

  private mapEntry(field: FieldSchema, path: string, good: boolean): Entry[] {
    const { prng } = this;
    const key = good ? prng.pick(path.endsWith('env') ? ['PORT', 'FOO', 'A_B'] : ['tier', 'app', 'x.y/z']) : choose(prng, `${path}.key`, this.ctx, false)!;
    const value = good ? prng.pick(['web', 'fuzz', '8080', '', 'a b']) : choose(prng, `${path}.value`, this.ctx, false)!;
    const entries: Entry[] = [
      { number: 1, wireType: WireType.Bytes, value: this.budgeted(key) },
      { number: 2, wireType: WireType.Bytes, value: this.budgeted(value) },
    ];
    return !good && prng.chance(0.1) ? entries.slice(prng.int(2)) : entries;
  }

  private text(path: string, good: boolean): Buffer {
    const { prng } = this;
    const field = path.slice(path.lastIndexOf('.') + 1);
    const healthType = good && path.endsWith('health_check.type') ? this.#healthType : undefined;
    if (path === 'spec.runtime.kind' && good) return Buffer.from('exec');
    const chosen = healthType ?? choose(prng, path, this.ctx, good) ?? prng.pick(['web', 'a', 'hello world', '']);
    const bytes = this.budgeted(chosen);
    // A long value names no file or program, whatever a mutation does to it (and searching for it would be slow).
    if (protectedFields.has(field) && bytes.length <= 4096) this.#protected.push(bytes);
    return bytes;
  }

  /** `value`'s bytes, or a short stand-in when the request has no room left for them. */
  private budgeted(value: Value): Buffer {
    // A string's length never exceeds its UTF-8 size: checked before the conversion, which is the slow part.
    const bytes = value.length > this.#budget ? Buffer.from('over budget') : bytesOf(value);
    this.#budget -= bytes.length + 2;
    return bytes;
  }

  private integer(path: string, good: boolean): bigint {
    const chosen = choose(this.prng, path, this.ctx, good);
    if (typeof chosen === 'string' && /^-?\d+$/.test(chosen)) return BigInt(chosen);
    return good ? BigInt(this.prng.int(10)) : this.prng.pick(interestingInts);
  }

  private wrongWireType(number: number): Entry {
    const { prng } = this;
    switch (prng.int(5)) {
      case 0:
        return { number, wireType: WireType.Varint, value: prng.pick(interestingInts) };
      case 1:
        return { number, wireType: WireType.Fixed64, value: prng.bytes(8) };
      case 2:
        return { number, wireType: WireType.Fixed32, value: prng.bytes(4) };
      case 3:
        return { number, wireType: WireType.Bytes, value: prng.bytes(prng.int(16)) };
      default:
        return { number, wireType: prng.pick([WireType.StartGroup, WireType.EndGroup, 6, 7] as const) };
    }
  }

  /** A field number no request has, of any wire type; sometimes a nest of them. */
  private unknownField(depth: number): Entry {
    const { prng } = this;
    const number = prng.pick([99, 1000, 19000, 536870911]);
    if (depth < 20 && prng.chance(0.3)) return { number, wireType: WireType.Bytes, value: encode([this.unknownField(depth + 1)]) };
    return { ...this.wrongWireType(number), number } as Entry;
  }

  private garbage(): Buffer {
    const { prng } = this;
    const length = prng.chance(0.05) ? prng.int(65536) : prng.chance(0.2) ? prng.int(1024) : prng.int(64);
    return prng.bytes(length);
  }

  private shuffle<T>(items: T[]): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.prng.int(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
  }

  /** 1 to 4 byte-level mutations, none inside a protected value. */
  private mutate(input: Buffer): Buffer {
    const { prng } = this;
    let bytes = Buffer.from(input);
    const guarded = (at: number): boolean => {
      for (const value of this.#protected) {
        if (value.length === 0) continue;
        for (let from = bytes.indexOf(value); from >= 0; from = bytes.indexOf(value, from + 1)) {
          if (at >= from && at <= from + value.length) return true;
        }
      }
      return false;
    };
    const position = (): number | undefined => {
      for (let tries = 0; tries < 10; tries++) {
        const at = prng.int(bytes.length + 1);
        if (!guarded(at)) return at;
      }
      return undefined;
    };
    for (let n = 1 + prng.int(4); n > 0; n--) {
      const at = position();
      if (at === undefined) break;
      const end = Math.min(bytes.length, at + 1 + prng.int(8));
      switch (prng.int(7)) {
        case 0:
          if (at < bytes.length) bytes[at] = bytes[at]! ^ (1 << prng.int(8));
          break;
        case 1:
          if (at < bytes.length) bytes[at] = prng.pick([0x00, 0x7f, 0x80, 0xff, prng.int(256)]);
          break;
        case 2:
          bytes = Buffer.concat([bytes.subarray(0, at), prng.bytes(1 + prng.int(8)), bytes.subarray(at)]);
          break;
        case 3:
          if (!guarded(end)) bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(end)]);
          break;
        case 4:
          if (!guarded(end)) bytes = Buffer.concat([bytes.subarray(0, end), bytes.subarray(at, end), bytes.subarray(end)]);
          break;
        case 5:
          bytes = bytes.subarray(0, at);
          break;
        default:
          bytes = Buffer.concat([bytes, prng.bytes(1 + prng.int(16))]);
      }
    }
    return bytes;
  }
}
