/**
 * Scalar conversions between domain values and the wire: timestamps, money, and absent values.
 *
 * Domain rows use `null` for "no value"; ts-proto (useOptionals=messages) uses `undefined` for an unset `optional`
 * field. Going out, `null` becomes unset; coming in, unset stays `undefined` and a present 0 or "" stays a value,
 * so the use cases can tell "not sent" from "sent as zero".
 */
import { type MinorUnits, toWireNumber } from '../../../src/domain/money.ts';
import type { Timestamp } from '../generated/google/protobuf/timestamp.ts';

/** RFC 3339, UTC, second precision (`2025-11-09T12:00:00Z`): the listing family's timestamps (§3.1). */
export function toRfc3339(at: Date): string {
  const iso = at.toISOString();
  // `YYYY-MM-DDTHH:mm:ss.sssZ` (years 0-9999) loses its milliseconds by a slice; extended years keep the pattern.
  return iso.length === 24 ? `${iso.slice(0, 19)}Z` : iso.replace(/\.\d+Z$/, 'Z');
}

export function toOptionalRfc3339(at: Date | null | undefined): string | undefined {
  return at == null ? undefined : toRfc3339(at);
}

/** google.protobuf.Timestamp (the product family's timestamps): whole seconds and non-negative nanos. */
export function toTimestamp(at: Date): Timestamp {
  const ms = at.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** `null` → unset. */
export function unset<T>(value: T | null | undefined): T | undefined {
  return value ?? undefined;
}

/** Minor units → the wire's double, the nearest double to the exact decimal (`1001` → `10.01`). */
export function toWireAmount(amount: MinorUnits): number {
  return toWireNumber(amount);
}

export function toOptionalWireAmount(amount: MinorUnits | null | undefined): number | undefined {
  return amount == null ? undefined : toWireNumber(amount);
}
