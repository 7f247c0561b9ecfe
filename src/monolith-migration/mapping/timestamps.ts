/**
 * Timestamps as text, to microseconds, without `Date` (it drops microseconds and reads naive values in the process
 * zone, Q1). Naive source values are wall-clock time in the source zone and become UTC exactly as PostgreSQL's
 * `ts AT TIME ZONE zone` does, including its rule for DST gaps and overlaps (see {@link naiveToUtc}).
 */
import { readTimestampFields } from '../../shared/timestamp-fields.ts';
import type { UtcTimestampText } from './target-rows.ts';

/** A point in time: whole seconds since 1970-01-01 UTC plus microseconds, or an infinity. */
interface Instant {
  readonly seconds: number;
  readonly micros: number;
}

export interface ZonedConversion {
  readonly utc: UtcTimestampText;
  /** The local time fell in a gap or overlap of the zone (AMBIGUOUS_LOCAL_TIME). */
  readonly ambiguous: boolean;
}

/** Thrown for a value that is not an ISO timestamp in years 1..9999 (mapped to TIMESTAMP_OUT_OF_RANGE). */
export class TimestampRangeError extends Error {
  override readonly name = 'TimestampRangeError';
}

const SECONDS_PER_DAY = 86_400;
const TIMESTAMP_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?(?::(\d{2}))?)?$/;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/**
 * The shape PostgreSQL prints a naive timestamp in under §4.2's settings (`YYYY-MM-DD HH:MM:SS[.ffffff]`), read
 * digit by digit: the pattern and its captures cost a large part of mapping an image row. Anything else (a zone
 * suffix, a value out of range) returns null and goes through the pattern, which also words the errors.
 */
function parsePlain(text: string): Instant | null {
  const fields = readTimestampFields(text, text.length, true);
  if (fields === null) return null;
  const { year, month, day, hour, minute, second, micros } = fields;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  const seconds = daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
  return { seconds, micros };
}

/** Parses PostgreSQL ISO output; a zone suffix (tstz) is applied, none means the fields are taken as UTC. */
function parse(text: string): Instant {
  const plain = parsePlain(text);
  if (plain !== null) return plain;
  const m = TIMESTAMP_PATTERN.exec(text);
  if (m === null) throw new TimestampRangeError(`not an ISO timestamp in years 1..9999: ${text}`);
  const [, y, mo, d, h, mi, s, frac, zulu, sign, oh, om, os] = m;
  const month = Number(mo);
  const day = Number(d);
  if (Number(y) < 1 || month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59) {
    throw new TimestampRangeError(`timestamp out of range: ${text}`);
  }
  let seconds = daysFromCivil(Number(y), month, day) * SECONDS_PER_DAY + Number(h) * 3600 + Number(mi) * 60;
  seconds += Number(s);
  if (zulu === undefined && sign !== undefined) {
    const offset = Number(oh) * 3600 + Number(om ?? 0) * 60 + Number(os ?? 0);
    seconds -= sign === '+' ? offset : -offset;
  }
  return { seconds, micros: frac === undefined ? 0 : Number(frac.padEnd(6, '0')) };
}

/** `00` … `99`: the two-digit fields of {@link format} without a padStart each. */
const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ`, the canonical text of §3.1. */
function format(instant: Instant): UtcTimestampText {
  const days = Math.floor(instant.seconds / SECONDS_PER_DAY);
  const rest = instant.seconds - days * SECONDS_PER_DAY;
  const [y, mo, d] = civilFromDays(days);
  if (y < 1 || y > 9999) throw new TimestampRangeError(`timestamp out of range after conversion: year ${y}`);
  const hh = Math.floor(rest / 3600);
  const mi = Math.floor((rest % 3600) / 60);
  const two = TWO_DIGITS;
  return `${pad(y, 4)}-${two[mo]}-${two[d]}T${two[hh]}:${two[mi]}:${two[rest % 60]}.${pad(instant.micros, 6)}Z`;
}

function isInfinity(text: string): boolean {
  return text === 'infinity' || text === '-infinity';
}

/** A timestamptz printed by PostgreSQL (any session zone) → canonical UTC text. Microseconds kept. */
export function tstzToUtc(text: string): UtcTimestampText {
  return isInfinity(text) ? text : format(parse(text));
}

/** Offsets (seconds east of UTC) of one zone at instants, read from ICU's tz data through Intl. */
class ZoneOffsets {
  readonly #formatter: Intl.DateTimeFormat;
  /** Per local day: the offsets around it and the boundary between them (null when constant). */
  readonly #days = new Map<number, { before: number; after: number; boundary: number | null }>();

  constructor(zone: string) {
    this.#formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  offsetAt(seconds: number): number {
    const fields: Record<string, string> = {};
    for (const part of this.#formatter.formatToParts(seconds * 1000)) fields[part.type] = part.value;
    const year = fields.era === 'BC' || fields.era === 'B' ? 1 - Number(fields.year) : Number(fields.year);
    const wall =
      daysFromCivil(year, Number(fields.month), Number(fields.day)) * SECONDS_PER_DAY +
      Number(fields.hour) * 3600 +
      Number(fields.minute) * 60 +
      Number(fields.second);
    return wall - seconds;
  }

  /**
   * The offsets PostgreSQL considers for local times of day `day`: the offset one day before, the offset after
   * the next transition, and that transition. Assumes, as PostgreSQL does, at most one transition per window
   * (transitions of a zone are days apart).
   */
  window(day: number): { before: number; after: number; boundary: number | null } {
    let cached = this.#days.get(day);
    if (cached === undefined) {
      const start = (day - 1) * SECONDS_PER_DAY;
      const end = (day + 2) * SECONDS_PER_DAY;
      const before = this.offsetAt(start);
      const after = this.offsetAt(end);
      let boundary: number | null = null;
      if (before !== after) {
        let low = start;
        let high = end;
        while (high - low > 1) {
          const middle = Math.floor((low + high) / 2);
          if (this.offsetAt(middle) === before) low = middle;
          else high = middle;
        }
        boundary = high;
      }
      cached = { before, after, boundary };
      this.#days.set(day, cached);
    }
    return cached;
  }
}

const zones = new Map<string, ZoneOffsets>();

function offsetsOf(zone: string): ZoneOffsets {
  let offsets = zones.get(zone);
  if (offsets === undefined) {
    offsets = new ZoneOffsets(zone);
    zones.set(zone, offsets);
  }
  return offsets;
}

/** True when `zone` is a time zone name Intl (ICU) knows, e.g. `UTC`, `Europe/Belgrade`. */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isUtc(zone: string): boolean {
  return zone === 'UTC' || zone === 'Etc/UTC' || zone === 'utc';
}

/**
 * A naive timestamp read as wall-clock time in `zone` → canonical UTC text: what PostgreSQL 15 returns for
 * `ts AT TIME ZONE zone`. PostgreSQL (DetermineTimeZoneOffsetInternal) takes the offset in force one day before
 * the local time and the offset after the next transition; when the two readings straddle that transition (a
 * nonexistent or repeated local time) it takes the later UTC instant: the pre-transition offset in a
 * spring-forward gap, the post-transition (standard) offset in a fall-back overlap. `ambiguous` is true when the
 * local time has no valid reading or two.
 */
export function naiveToUtc(text: string, zone: string): ZonedConversion {
  if (isInfinity(text)) return { utc: text, ambiguous: false };
  const local = parse(text);
  if (isUtc(zone)) return { utc: format(local), ambiguous: false };
  const offsets = offsetsOf(zone);
  const t = local.seconds;
  const { before, after, boundary } = offsets.window(Math.floor(t / SECONDS_PER_DAY));
  const previous = t - SECONDS_PER_DAY;
  if (boundary === null || boundary <= previous) {
    const offset = boundary === null ? before : after;
    return { utc: format({ seconds: t - offset, micros: local.micros }), ambiguous: false };
  }
  const beforeTime = t - before;
  const afterTime = t - after;
  let seconds: number;
  if (beforeTime < boundary && afterTime < boundary) seconds = beforeTime;
  else if (beforeTime > boundary && afterTime >= boundary) seconds = afterTime;
  else seconds = Math.max(beforeTime, afterTime);
  const valid = Number(offsets.offsetAt(beforeTime) === before) + Number(offsets.offsetAt(afterTime) === after);
  return { utc: format({ seconds, micros: local.micros }), ambiguous: valid !== 1 };
}
