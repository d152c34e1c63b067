/**
 * Protocol buffer encoding by hand, so that the fuzzer can say what no typed encoder would:
 * a field with the wrong wire type, a string whose bytes are not UTF-8, a varint of ten bytes,
 * a length that lies. A message is a list of entries, each one field occurrence.
 */
export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  Bytes = 2,
  StartGroup = 3,
  EndGroup = 4,
  Fixed32 = 5,
}

export type Entry =
  | { readonly number: number; readonly wireType: WireType.Varint; readonly value: bigint }
  | { readonly number: number; readonly wireType: WireType.Fixed64 | WireType.Fixed32 | WireType.Bytes; readonly value: Buffer }
  | { readonly number: number; readonly wireType: WireType.StartGroup | WireType.EndGroup | 6 | 7; readonly value?: undefined };

/** A growing buffer: a hostile request may hold 100,000 fields, so no Buffer per byte run. */
class Output {
  #bytes = Buffer.allocUnsafe(256);
  #length = 0;

  private room(n: number): void {
    if (this.#length + n <= this.#bytes.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.#bytes.length * 2, this.#length + n));
    this.#bytes.copy(bigger, 0, 0, this.#length);
    this.#bytes = bigger;
  }

  /** `value` taken as an unsigned 64-bit integer (negatives as two's complement: ten bytes). */
  varint(value: bigint | number): void {
    this.room(10);
    if (typeof value === 'number' && value >= 0 && value < 2 ** 31) {
      let v = value;
      while (v >= 0x80) {
        this.#bytes[this.#length++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      this.#bytes[this.#length++] = v;
      return;
    }
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.#bytes[this.#length++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.#bytes[this.#length++] = Number(v);
  }

  raw(bytes: Buffer): void {
    this.room(bytes.length);
    bytes.copy(this.#bytes, this.#length);
    this.#length += bytes.length;
  }

  finish(): Buffer {
    return Buffer.from(this.#bytes.subarray(0, this.#length));
  }
}

export function encode(entries: readonly Entry[]): Buffer {
  const out = new Output();
  for (const entry of entries) {
    out.varint(entry.number * 8 + entry.wireType);
    switch (entry.wireType) {
      case WireType.Varint:
        out.varint(entry.value);
        break;
      case WireType.Bytes:
        out.varint(entry.value.length);
        out.raw(entry.value);
        break;
      case WireType.Fixed64:
      case WireType.Fixed32:
        out.raw(entry.value);
        break;
      default:
        break;
    }
  }
  return out.finish();
}

export function double(value: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeDoubleLE(value);
  return out;
}
