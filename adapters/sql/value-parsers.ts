/**
 * How column values arrive in JavaScript, the same on PostgreSQL (node-postgres) and on PGlite.
 *
 * Both drivers are configured with these parsers so that a repository written against one behaves
 * identically on the other:
 * - BIGINT (`int8`, ids, counts): a `number`; a value outside ±2^53 arrives as a `bigint` rather than
 *   silently rounded (PGlite's own rule; node-postgres would give a string).
 * - NUMERIC / DECIMAL (prices): a `string`, exact; convert where the domain needs it.
 * - TIMESTAMPTZ: a `Date`.
 * - TIMESTAMP without time zone (c2c_categories, storefronts, c2c_favorites): a `Date` read as UTC. Every session
 *   runs with `TimeZone=UTC`, so `now()` stores UTC wall time in those columns; both drivers would otherwise read
 *   them in the Node process's zone.
 * - DATE: a `Date` at UTC midnight.
 * - `infinity` / `-infinity` timestamps: `Infinity` / `-Infinity` (numbers), as PGlite does.
 * - JSON / JSONB: parsed. Bind JSON values as strings (`JSON.stringify`): both adapters prepare bindings the
 *   node-postgres way, which turns a JS array into a PostgreSQL array literal, not JSON.
 */

import { readTimestampFields } from '../../src/shared/timestamp-fields.ts';

/** Type OIDs of the parsed types (stable across PostgreSQL versions). */
export const TYPE_OID = {
  int8: 20,
  date: 1082,
  timestamp: 1114,
} as const;

export function parseInt8(text: string): number | bigint {
  // Up to 15 digits (and a sign) is always inside ±2^53: the common case needs no BigInt.
  if (text.length <= 15) return Number(text);
  const value = BigInt(text);
  return value < BigInt(Number.MIN_SAFE_INTEGER) || value > BigInt(Number.MAX_SAFE_INTEGER) ? value : Number(value);
}

function infinite(text: string): number | undefined {
  if (text === 'infinity') return Number.POSITIVE_INFINITY;
  if (text === '-infinity') return Number.NEGATIVE_INFINITY;
  return undefined;
}

/** `2026-11-25 10:00:00.123456` (ISO DateStyle, no zone) → that wall time in UTC. Microseconds are truncated. */
export function parseTimestampAsUtc(text: string): Date | number {
  const plain = utcWallTime(text, text.length);
  if (plain !== undefined) return plain;
  const special = infinite(text);
  if (special !== undefined) return special;
  const bc = text.endsWith(' BC');
  const body = bc ? text.slice(0, -3) : text;
  const iso = `${body.replace(' ', 'T')}Z`;
  const date = new Date(iso);
  if (bc) date.setUTCFullYear(1 - date.getUTCFullYear());
  return date;
}

/**
 * `text.slice(0, end)` when it is the plain form PostgreSQL prints (ISO DateStyle) of a year from 1000 to 9999,
 * `YYYY-MM-DD HH:MM:SS` with 0 to 6 fraction digits, read as that wall time in UTC with the microseconds truncated;
 * undefined for anything else (BC, a zone, other years, a value out of range), which the general parsers read. Read
 * digit by digit: the worker reads about fifteen timestamps per listing it indexes, and this is a third of the cost
 * of building an ISO string for `new Date` or of postgres-date's patterns.
 */
export function utcWallTime(text: string, end: number): Date | undefined {
  const fields = readTimestampFields(text, end, false);
  if (fields === null) return undefined;
  const { year, month, day, hour, minute, second, micros } = fields;
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, Math.floor(micros / 1000)));
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month] ?? 0);
}

/** `2026-11-25` → midnight UTC of that day. */
export function parseDateAsUtc(text: string): Date | number {
  const special = infinite(text);
  if (special !== undefined) return special;
  return parseTimestampAsUtc(`${text} 00:00:00`);
}

/** Parsers by type OID, for drivers that take a plain map (PGlite's `parsers` option). */
export const VALUE_PARSERS: Readonly<Record<number, (text: string) => unknown>> = {
  [TYPE_OID.int8]: parseInt8,
  [TYPE_OID.date]: parseDateAsUtc,
  [TYPE_OID.timestamp]: parseTimestampAsUtc,
};
