/**
 * A minimal protobuf wire-format reader, independent of the generated code and of any protobuf library,
 * so the wire test checks bytes against the reference rather than the codec against itself.
 * Reads wire types 0 varint, 1 fixed64, 2 length-delimited (all this contract uses) and 5 fixed32, so that a
 * float written instead of a double is reported as a wrong wire type rather than as unreadable bytes.
 * Groups (3, 4) are rejected.
 */

export interface WireRecord {
  field: number;
  wireType: 0 | 1 | 2 | 5;
  /** varint: the raw unsigned 64-bit value; fixed64/fixed32: the little-endian bytes as unsigned. */
  int?: bigint;
  /** fixed64: the 8 bytes read as a double. */
  double?: number;
  /** length-delimited: the payload. */
  bytes?: Uint8Array;
}

export function readVarint(buf: Uint8Array, start: number): { value: bigint; next: number } {
  let value = 0n;
  let shift = 0n;
  for (let i = start; i < buf.length && i < start + 10; i++) {
    const b = buf[i]!;
    value |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return { value, next: i + 1 };
    shift += 7n;
  }
  throw new Error(`malformed varint at offset ${start}`);
}

/** Splits a message into its top-level records, in wire order. Throws on malformed input. */
export function readRecords(buf: Uint8Array): WireRecord[] {
  const records: WireRecord[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const tag = readVarint(buf, pos);
    pos = tag.next;
    const field = Number(tag.value >> 3n);
    const wireType = Number(tag.value & 7n);
    if (field === 0) throw new Error('field number 0 is invalid');
    if (wireType === 0) {
      const v = readVarint(buf, pos);
      pos = v.next;
      records.push({ field, wireType, int: v.value });
    } else if (wireType === 1) {
      if (pos + 8 > buf.length) throw new Error('truncated fixed64');
      const view = new DataView(buf.buffer, buf.byteOffset + pos, 8);
      records.push({ field, wireType, int: view.getBigUint64(0, true), double: view.getFloat64(0, true) });
      pos += 8;
    } else if (wireType === 2) {
      const len = readVarint(buf, pos);
      pos = len.next;
      const end = pos + Number(len.value);
      if (end > buf.length) throw new Error('truncated length-delimited field');
      records.push({ field, wireType, bytes: buf.subarray(pos, end) });
      pos = end;
    } else if (wireType === 5) {
      if (pos + 4 > buf.length) throw new Error('truncated fixed32');
      records.push({
        field,
        wireType,
        int: BigInt(new DataView(buf.buffer, buf.byteOffset + pos, 4).getUint32(0, true)),
      });
      pos += 4;
    } else {
      throw new Error(`unexpected wire type ${wireType} for field ${field}`);
    }
  }
  return records;
}

/** Reads a packed repeated field's payload: varints, or fixed64 doubles when `fixed64` is set. */
export function readPacked(payload: Uint8Array, fixed64: boolean): bigint[] | number[] {
  if (fixed64) {
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    return Array.from({ length: payload.byteLength / 8 }, (_, i) => view.getFloat64(i * 8, true));
  }
  const values: bigint[] = [];
  for (let pos = 0; pos < payload.length; ) {
    const v = readVarint(payload, pos);
    values.push(v.value);
    pos = v.next;
  }
  return values;
}

/** Encodes an unsigned varint; used to craft inputs the generated encoder would not produce. */
export function writeVarint(value: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, value);
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return out;
}

export function utf8(bytes: Uint8Array | undefined): string {
  return new TextDecoder().decode(bytes);
}
