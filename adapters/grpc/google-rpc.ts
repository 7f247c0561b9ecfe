/**
 * The few google.rpc messages that gRPC's richer error model needs, encoded by hand with the official field
 * numbers (googleapis google/rpc/status.proto and error_details.proto). Hand-written rather than generated so
 * proto/ stays the listings.v1 contract only (scripts/gen-proto and buf lint cover exactly that module).
 *
 *   Status       { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }
 *   Any          { string type_url = 1; bytes value = 2; }
 *   ErrorInfo    { string reason = 1; string domain = 2; map<string, string> metadata = 3; }
 *   BadRequest   { repeated FieldViolation field_violations = 1; }
 *   FieldViolation { string field = 1; string description = 2; string reason = 3; }
 *   RetryInfo    { google.protobuf.Duration retry_delay = 1; }
 *   Duration     { int64 seconds = 1; int32 nanos = 2; }
 */
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

export const TYPE_URL = {
  errorInfo: 'type.googleapis.com/google.rpc.ErrorInfo',
  badRequest: 'type.googleapis.com/google.rpc.BadRequest',
  retryInfo: 'type.googleapis.com/google.rpc.RetryInfo',
} as const;

export interface AnyMessage {
  readonly typeUrl: string;
  readonly value: Uint8Array;
}

export interface RpcStatus {
  readonly code: number;
  readonly message: string;
  readonly details: readonly AnyMessage[];
}

export interface ErrorInfo {
  readonly reason: string;
  readonly domain: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface FieldViolation {
  readonly field: string;
  readonly description: string;
  readonly reason: string;
}

// proto3 implicit presence: default values are not written.
function writeString(writer: BinaryWriter, field: number, value: string): void {
  if (value !== '') writer.tag(field, WireType.LengthDelimited).string(value);
}

export function encodeStatus(status: RpcStatus): Uint8Array {
  const writer = new BinaryWriter();
  if (status.code !== 0) writer.tag(1, WireType.Varint).int32(status.code);
  writeString(writer, 2, status.message);
  for (const any of status.details) {
    writer.tag(3, WireType.LengthDelimited).fork();
    writeString(writer, 1, any.typeUrl);
    if (any.value.length > 0) writer.tag(2, WireType.LengthDelimited).bytes(any.value);
    writer.join();
  }
  return writer.finish();
}

export function encodeErrorInfo(info: ErrorInfo): Uint8Array {
  const writer = new BinaryWriter();
  writeString(writer, 1, info.reason);
  writeString(writer, 2, info.domain);
  for (const [key, value] of Object.entries(info.metadata)) {
    // A map entry is a nested message { key = 1; value = 2; }; both are always written, as protoc does.
    writer.tag(3, WireType.LengthDelimited).fork();
    writer.tag(1, WireType.LengthDelimited).string(key).tag(2, WireType.LengthDelimited).string(value);
    writer.join();
  }
  return writer.finish();
}

export function encodeBadRequest(violations: readonly FieldViolation[]): Uint8Array {
  const writer = new BinaryWriter();
  for (const violation of violations) {
    writer.tag(1, WireType.LengthDelimited).fork();
    writeString(writer, 1, violation.field);
    writeString(writer, 2, violation.description);
    writeString(writer, 3, violation.reason);
    writer.join();
  }
  return writer.finish();
}

/** RetryInfo with `retry_delay` as a google.protobuf.Duration, from milliseconds. */
export function encodeRetryInfo(retryDelayMs: number): Uint8Array {
  const delay = Math.max(0, Math.round(retryDelayMs));
  const seconds = Math.floor(delay / 1000);
  const nanos = (delay % 1000) * 1_000_000;
  const writer = new BinaryWriter();
  writer.tag(1, WireType.LengthDelimited).fork();
  if (seconds !== 0) writer.tag(1, WireType.Varint).int64(seconds);
  if (nanos !== 0) writer.tag(2, WireType.Varint).int32(nanos);
  writer.join();
  return writer.finish();
}

/** Calls `onField` for each field of a message; unknown fields are skipped, so newer senders stay readable. */
function readFields(bytes: Uint8Array, onField: (field: number, reader: BinaryReader) => boolean): void {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (!onField(field, reader)) reader.skip(wireType, field);
  }
}

export function decodeStatus(bytes: Uint8Array): RpcStatus {
  let code = 0;
  let message = '';
  const details: AnyMessage[] = [];
  readFields(bytes, (field, reader) => {
    if (field === 1) code = reader.int32();
    else if (field === 2) message = reader.string();
    else if (field === 3) details.push(decodeAny(reader.bytes()));
    else return false;
    return true;
  });
  return { code, message, details };
}

function decodeAny(bytes: Uint8Array): AnyMessage {
  let typeUrl = '';
  let value: Uint8Array = new Uint8Array(0);
  readFields(bytes, (field, reader) => {
    if (field === 1) typeUrl = reader.string();
    else if (field === 2) value = reader.bytes();
    else return false;
    return true;
  });
  return { typeUrl, value };
}

export function decodeErrorInfo(bytes: Uint8Array): ErrorInfo {
  let reason = '';
  let domain = '';
  const metadata: Record<string, string> = {};
  readFields(bytes, (field, reader) => {
    if (field === 1) reason = reader.string();
    else if (field === 2) domain = reader.string();
    else if (field === 3) {
      let key = '';
      let value = '';
      readFields(reader.bytes(), (entryField, entry) => {
        if (entryField === 1) key = entry.string();
        else if (entryField === 2) value = entry.string();
        else return false;
        return true;
      });
      metadata[key] = value;
    } else return false;
    return true;
  });
  return { reason, domain, metadata };
}

export function decodeBadRequest(bytes: Uint8Array): FieldViolation[] {
  const violations: FieldViolation[] = [];
  readFields(bytes, (field, reader) => {
    if (field !== 1) return false;
    const violation = { field: '', description: '', reason: '' };
    readFields(reader.bytes(), (f, r) => {
      if (f === 1) violation.field = r.string();
      else if (f === 2) violation.description = r.string();
      else if (f === 3) violation.reason = r.string();
      else return false;
      return true;
    });
    violations.push(violation);
    return true;
  });
  return violations;
}

/** RetryInfo.retry_delay in milliseconds (0 when absent). */
export function decodeRetryInfo(bytes: Uint8Array): number {
  let ms = 0;
  readFields(bytes, (field, reader) => {
    if (field !== 1) return false;
    let seconds = 0;
    let nanos = 0;
    readFields(reader.bytes(), (f, r) => {
      if (f === 1) seconds = Number(r.int64());
      else if (f === 2) nanos = r.int32();
      else return false;
      return true;
    });
    ms = seconds * 1000 + Math.round(nanos / 1_000_000);
    return true;
  });
  return ms;
}
