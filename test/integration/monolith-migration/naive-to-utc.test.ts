/**
 * naiveToUtc must give what PostgreSQL 15 gives for `ts AT TIME ZONE zone`, DST gaps and overlaps included.
 * The local times probed are generated around every offset change of each zone (found by scanning Intl day by
 * day, independently of the function under test), plus random times; PostgreSQL computes the expected side.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { naiveToUtc } from '../../../src/monolith-migration/mapping/timestamps.ts';
import { postgresUrl } from '../../support/servers.ts';

/**
 * Zones with gaps, overlaps, LMT offsets in seconds, negative DST (Dublin), 30-minute DST (Lord Howe), a skipped
 * day (Apia 2011) and Ramadan DST (Casablanca). Node's ICU tz data (2026c) and this server's (Debian's, older)
 * disagree about Morocco after 2026-09-20 (newer tzdata ends its DST), so Casablanca is probed only before that:
 * the function follows the tz data it runs with.
 */
const ZONES: readonly (readonly [string, number])[] = [
  ['Europe/Belgrade', 2037],
  ['Europe/Moscow', 2037],
  ['America/New_York', 2037],
  ['Europe/Dublin', 2037],
  ['Australia/Lord_Howe', 2037],
  ['Pacific/Apia', 2037],
  ['America/Sao_Paulo', 2037],
  ['Africa/Casablanca', 2026],
  ['Asia/Kolkata', 2037],
];
const FIRST_YEAR = 1880;

function offsetMinutes(formatter: Intl.DateTimeFormat, ms: number): number {
  const f: Record<string, string> = {};
  for (const p of formatter.formatToParts(ms)) f[p.type] = p.value;
  const wall = Date.UTC(Number(f.year), Number(f.month) - 1, Number(f.day), Number(f.hour), Number(f.minute));
  return Math.round((wall - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function naiveText(ms: number, micros: number): string {
  const d = new Date(ms);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(micros, 6)}`
  );
}

/** Local wall-clock times (as naive text) around each day on which the zone's offset changes. */
function trickyLocalTimes(zone: string, lastYear: number): string[] {
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const times = new Set<string>();
  const day = 86_400_000;
  const week = 7 * day;
  const minute = 60_000;
  /** Local times around one change at instant `boundary` from offset `before` to `after` (minutes). */
  const addAround = (boundary: number, before: number, after: number) => {
    for (let t = boundary - day; t <= boundary + day; t += 30 * minute) times.add(naiveText(t + before * minute, 0));
    for (const offset of [before, after]) {
      const local = boundary + offset * minute;
      for (const delta of [-minute, -1000, 0, 1000, minute]) times.add(naiveText(local + delta, 0));
      times.add(naiveText(local - 1000, 999_999));
    }
    times.add(naiveText(boundary + ((before + after) / 2) * minute, 500_000));
  };
  // Weekly steps; a week whose end offset differs is narrowed to the minute of the change by bisection.
  let previous = offsetMinutes(formatter, Date.UTC(FIRST_YEAR, 0, 1));
  for (let ms = Date.UTC(FIRST_YEAR, 0, 1) + week; ms < Date.UTC(lastYear, 0, 1); ms += week) {
    const current = offsetMinutes(formatter, ms);
    if (current === previous) continue;
    let low = ms - week;
    let high = ms;
    while (high - low > minute) {
      const middle = low + Math.floor((high - low) / minute / 2) * minute;
      if (offsetMinutes(formatter, middle) === previous) low = middle;
      else high = middle;
    }
    addAround(high, previous, offsetMinutes(formatter, high));
    previous = current;
  }
  return [...times];
}

function randomLocalTimes(count: number, seed: number, lastYear: number): string[] {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const from = Date.UTC(1900, 0, 1);
  const to = Date.UTC(lastYear, 0, 1);
  return Array.from({ length: count }, () =>
    naiveText(from + Math.floor((next() * (to - from)) / 1000) * 1000, Math.floor(next() * 1e6)),
  );
}

let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  await client.query(`SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'`);
});

afterAll(async () => {
  await client.end();
});

async function postgresAnswers(zone: string, locals: string[]): Promise<string[]> {
  const { rows } = await client.query<{ utc: string }>(
    `SELECT to_char(t::timestamp AT TIME ZONE $2, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS utc
       FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n`,
    [locals, zone],
  );
  return rows.map((row) => row.utc);
}

describe('naiveToUtc equals PostgreSQL 15 `ts AT TIME ZONE zone`', () => {
  it.each(ZONES)('around every offset change of %s from 1880 to %i, and at random times', async (zone, lastYear) => {
    const locals = [...trickyLocalTimes(zone, lastYear), ...randomLocalTimes(2000, zone.length, lastYear)];
    const expected = await postgresAnswers(zone, locals);
    const mismatches = locals
      .map((local, i) => ({ local, expected: expected[i], actual: naiveToUtc(local, zone).utc }))
      .filter((m) => m.expected !== m.actual);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(locals.length).toBeGreaterThan(2000);
  });

  it('flags the spring-forward gap and the fall-back overlap of Europe/Belgrade in 2025', async () => {
    const cases = [
      ['2025-03-30 02:30:00.000000', true],
      ['2025-03-30 01:59:59.999999', false],
      ['2025-03-30 03:00:00.000000', false],
      ['2025-10-26 02:30:00.123456', true],
      ['2025-10-26 03:00:00.000000', false],
      ['2025-10-26 01:59:59.000000', false],
    ] as const;
    const expected = await postgresAnswers(
      'Europe/Belgrade',
      cases.map(([local]) => local),
    );
    expect(cases.map(([local]) => naiveToUtc(local, 'Europe/Belgrade'))).toEqual(
      cases.map(([, ambiguous], i) => ({ utc: expected[i], ambiguous })),
    );
  });
});
