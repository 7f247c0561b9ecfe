/**
 * The layers of §4.8 that do not run the mapping: counts (source = migrated + rejected; rows id_map lists exist),
 * sums over the owned listings, id sets per bucket, and sequences (§3.13). Each difference names table and row.
 */
import type { MonolithSnapshot } from '../../../ports/monolith-source.ts';
import type { MonolithTarget } from '../../../ports/monolith-target.ts';
import type {
  BookedRows,
  ExcludedKeys,
  IdSetTable,
  ListingFigures,
  MonolithVerificationSnapshot,
  MonolithVerificationTarget,
} from '../../../ports/monolith-verification.ts';
import {
  bucketOf,
  type SequencedTable,
  SOURCE_SEQUENCE_OF,
  type SourceTable,
  sequenceSettings,
  type TargetTable,
} from '../mapping/index.ts';
import type { DifferenceLog } from './differences.ts';
import { DRILLED_BUCKETS } from './key-checksums.ts';

export const ID_SET_TABLES: readonly IdSetTable[] = [
  'listings',
  'listing_images',
  'storefronts',
  'c2c_categories',
  'b2c_product_variants',
];

/** Target tables whose rows id_map lists one by one. */
export const BOOKED_TABLES: readonly TargetTable[] = [
  'c2c_categories',
  'storefronts',
  'listings',
  'listing_images',
  'b2c_product_variants',
  'listing_attributes',
  'c2c_favorites',
  'inventory_movements',
];

export interface SourceCounts {
  source: number;
  migrated: number;
  rejected: number;
}

export async function countsLayer(
  tables: readonly SourceTable[],
  snapshot: MonolithSnapshot,
  lookups: MonolithTarget,
  target: MonolithVerificationTarget,
  log: DifferenceLog,
): Promise<{ sources: Map<SourceTable, SourceCounts>; targets: Map<TargetTable, BookedRows> }> {
  const sources = new Map<SourceTable, SourceCounts>();
  for (const table of tables) {
    const source = await snapshot.count(table, null);
    const booked = await lookups.reconcile(table);
    sources.set(table, { source, ...booked });
    if (source !== booked.migrated + booked.rejected) {
      log.add({
        layer: 'counts',
        table,
        id: null,
        field: 'source = migrated + rejected',
        expected: source,
        actual: booked.migrated + booked.rejected,
      });
    }
  }
  const targets = new Map<TargetTable, BookedRows>();
  for (const table of BOOKED_TABLES) {
    const rows = await target.bookedRows(table);
    targets.set(table, rows);
    if (rows.present === rows.booked) continue;
    if (rows.missing.length === 0) {
      log.add({ layer: 'counts', table, id: null, field: '(count)', expected: rows.booked, actual: rows.present });
    }
    for (const id of rows.missing) {
      log.add({ layer: 'counts', table, id, field: '(row)', expected: 'present', actual: 'missing' });
    }
  }
  return { sources, targets };
}

/** Decimal text at scale 2 → hundredths (NULL counts as 0 in a sum). */
function cents(text: string | null): bigint {
  if (text === null) return 0n;
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace(/^[-+]/, '').split('.');
  const value = BigInt(whole) * 100n + BigInt(`${fraction}00`.slice(0, 2));
  return negative ? -value : value;
}

export function formatCents(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export interface SumTotals {
  price: bigint;
  viewCount: number;
  images: number;
  favorites: number;
}

export interface SumsResult {
  readonly listings: number;
  readonly source: SumTotals;
  readonly target: SumTotals;
}

const FIGURES: readonly [keyof ListingFigures, string, string][] = [
  ['price', 'listings', 'price'],
  ['viewCount', 'listings', 'view_count'],
  ['images', 'listing_images', 'images per listing'],
  ['favorites', 'c2c_favorites', 'favorites per listing'],
];

/** sum(price), sum(views), images and favorites per listing over the owned listings, bucket by bucket. */
export async function sumsLayer(
  owned: Float64Array,
  source: MonolithVerificationSnapshot,
  target: MonolithVerificationTarget,
  settings: { priceFallback: string | null; excluded: ExcludedKeys },
  log: DifferenceLog,
): Promise<SumsResult> {
  const totals = (): SumTotals => ({ price: 0n, viewCount: 0, images: 0, favorites: 0 });
  const result = { listings: owned.length, source: totals(), target: totals() };
  const add = (sum: SumTotals, figures: ListingFigures) => {
    sum.price += cents(figures.price);
    sum.viewCount += figures.viewCount;
    sum.images += figures.images;
    sum.favorites += figures.favorites;
  };
  let start = 0;
  while (start < owned.length) {
    const bucket = bucketOf(owned[start] as number);
    let end = start;
    while (end < owned.length && bucketOf(owned[end] as number) === bucket) end++;
    const ids = [...owned.subarray(start, end)];
    start = end;
    const expected = await source.listingFigures(ids, settings);
    const actual = await target.listingFigures(ids);
    for (const id of ids) {
      const want = expected.get(id);
      const have = actual.get(id);
      if (want) add(result.source, want);
      if (have) add(result.target, have);
      if (want === undefined || have === undefined) {
        log.add({
          layer: 'sums',
          table: 'listings',
          id: String(id),
          field: '(row)',
          expected: want === undefined ? 'missing at the source' : 'present',
          actual: have === undefined ? 'missing' : 'present',
        });
        continue;
      }
      for (const [key, table, field] of FIGURES) {
        const same =
          key === 'price'
            ? want.price !== null && have.price !== null && cents(want.price) === cents(have.price)
            : want[key] === have[key];
        if (!same) log.add({ layer: 'sums', table, id: String(id), field, expected: want[key], actual: have[key] });
      }
    }
  }
  return result;
}

export interface IdSetResult {
  readonly buckets: number;
  readonly mismatched: number;
}

export async function idSetsLayer(
  source: MonolithVerificationSnapshot,
  target: MonolithVerificationTarget,
  excluded: ExcludedKeys,
  log: DifferenceLog,
): Promise<Record<string, IdSetResult>> {
  const out: Record<string, IdSetResult> = {};
  for (const table of ID_SET_TABLES) {
    const expected = await source.idBuckets(table, excluded);
    const actual = await target.idBuckets(table);
    const all = [...new Set([...expected.keys(), ...actual.keys()])].sort((a, b) => a - b);
    const mismatched = all.filter((b) => expected.get(b)?.md5 !== actual.get(b)?.md5);
    out[table] = { buckets: all.length, mismatched: mismatched.length };
    for (const [i, bucket] of mismatched.entries()) {
      if (i >= DRILLED_BUCKETS) {
        log.add({
          layer: 'id_sets',
          table,
          id: `bucket ${bucket}`,
          field: '(rows)',
          expected: expected.get(bucket)?.rows ?? 0,
          actual: actual.get(bucket)?.rows ?? 0,
        });
        continue;
      }
      const want = new Set(await source.bucketIds(table, bucket, excluded));
      const have = new Set(await target.bucketIds(table, bucket));
      for (const id of want) {
        if (!have.has(id))
          log.add({ layer: 'id_sets', table, id: String(id), field: '(row)', expected: 'present', actual: 'missing' });
      }
      for (const id of have) {
        if (!want.has(id))
          log.add({ layer: 'id_sets', table, id: String(id), field: '(row)', expected: 'absent', actual: 'present' });
      }
    }
  }
  return out;
}

/** §3.13: every target sequence at or past GREATEST(target max id, the source sequence). */
export async function sequencesLayer(
  snapshot: MonolithSnapshot,
  lookups: MonolithTarget,
  target: MonolithVerificationTarget,
  log: DifferenceLog,
): Promise<Record<string, { expected_at_least: number; actual: number }>> {
  const tables = Object.keys(SOURCE_SEQUENCE_OF) as SequencedTable[];
  const states = await snapshot.sequences(tables.map((table) => SOURCE_SEQUENCE_OF[table]));
  const settings = sequenceSettings({
    targetMax: await lookups.sequenceMaxima(),
    source: Object.fromEntries(tables.map((t) => [t, states[SOURCE_SEQUENCE_OF[t]] ?? null])) as Record<
      SequencedTable,
      (typeof states)[string]
    >,
  });
  const actual = await target.sequenceValues(tables);
  const out: Record<string, { expected_at_least: number; actual: number }> = {};
  for (const setting of settings) {
    const want = setting.isCalled ? Number(setting.value) : 0;
    const have = actual[setting.table] ?? 0;
    out[setting.table] = { expected_at_least: want, actual: have };
    if (have < want) {
      log.add({
        layer: 'sequences',
        table: setting.table,
        id: null,
        field: 'last_value',
        expected: want,
        actual: have,
      });
    }
  }
  return out;
}
