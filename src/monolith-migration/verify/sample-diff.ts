/**
 * Verify's sample layer (§4.8): a seeded random set of migrated listings compared field by field with the target,
 * together with their images (paired by id, so an order change shows as display_order), attributes (by key),
 * location and favorites (by user). Only the columns the mapping produces are compared.
 */

import type { TargetRowValues } from '../../../ports/monolith-target.ts';
import type { SampledListing, SampledRow } from '../../../ports/monolith-verification.ts';
import type { RowOutcome } from '../step.ts';
import type { DifferenceLog } from './differences.ts';

export interface ExpectedListing {
  listing: TargetRowValues | null;
  location: TargetRowValues | null;
  images: TargetRowValues[];
  attributes: TargetRowValues[];
  favorites: TargetRowValues[];
}

/** Columns holding JSON: compared as JSON values (key order and spacing are the server's). */
const JSON_COLUMNS = new Set(['attributes']);

/** A deterministic generator (mulberry32): the same seed picks the same listings. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` ids out of `ids` (all when fewer), chosen by `seed`, ascending. */
export function chooseSample(ids: Float64Array, size: number, seed: number): number[] {
  if (size >= ids.length) return [...ids];
  const pool = Float64Array.from(ids);
  const random = seededRandom(seed);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    const picked = pool[j] as number;
    pool[j] = pool[i] as number;
    pool[i] = picked;
  }
  return [...pool.subarray(0, size)].sort((a, b) => a - b);
}

/** Keeps what the mapping writes for the sampled listings. */
export class SampleCollector {
  readonly expected = new Map<number, ExpectedListing>();

  constructor(ids: readonly number[]) {
    for (const id of ids) {
      this.expected.set(id, { listing: null, location: null, images: [], attributes: [], favorites: [] });
    }
  }

  collect(outcomes: readonly RowOutcome[]): void {
    for (const outcome of outcomes) {
      for (const { table, row } of outcome.writes) {
        const id = Number(table === 'listings' ? row.id : row.listing_id);
        const entry = this.expected.get(id);
        if (entry === undefined) continue;
        if (table === 'listings') entry.listing = row;
        else if (table === 'listing_locations') entry.location = row;
        else if (table === 'listing_images') entry.images.push(row);
        else if (table === 'listing_attributes') entry.attributes.push(row);
        else if (table === 'c2c_favorites') entry.favorites.push(row);
      }
    }
  }
}

type Value = string | number | boolean | null | undefined;

function text(value: Value): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

function sortedJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedJson);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortedJson(v)]));
  }
  return value;
}

function sameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(sortedJson(JSON.parse(a))) === JSON.stringify(sortedJson(JSON.parse(b)));
  } catch {
    return false;
  }
}

function compareRow(
  table: string,
  id: string,
  expected: TargetRowValues,
  actual: SampledRow,
  log: DifferenceLog,
): void {
  for (const [column, value] of Object.entries(expected)) {
    const want = text(value);
    const have = text(actual[column]);
    if (want === have) continue;
    if (want !== null && have !== null && JSON_COLUMNS.has(column) && sameJson(want, have)) continue;
    log.add({
      layer: 'sample',
      table,
      id,
      field: column,
      expected: want,
      actual: column in actual ? have : '(no column)',
    });
  }
}

function compareRows(
  table: string,
  key: (row: TargetRowValues | SampledRow) => string,
  expected: readonly TargetRowValues[],
  actual: readonly SampledRow[],
  log: DifferenceLog,
): void {
  const have = new Map(actual.map((row) => [key(row), row]));
  for (const row of expected) {
    const id = key(row);
    const other = have.get(id);
    if (other === undefined)
      log.add({ layer: 'sample', table, id, field: '(row)', expected: 'present', actual: 'missing' });
    else compareRow(table, id, row, other, log);
    have.delete(id);
  }
  for (const id of have.keys()) {
    log.add({ layer: 'sample', table, id, field: '(row)', expected: 'absent', actual: 'present' });
  }
}

/** Field-by-field differences of the sample; returns the number of listings compared. */
export function compareSample(
  expected: ReadonlyMap<number, ExpectedListing>,
  actual: ReadonlyMap<number, SampledListing>,
  log: DifferenceLog,
): number {
  let compared = 0;
  for (const [id, want] of expected) {
    const have = actual.get(id);
    const name = String(id);
    if (want.listing === null) {
      // Owned in the target but no longer produced by the source (deleted or rejected since): other layers say why.
      log.add({ layer: 'sample', table: 'listings', id: name, field: '(row)', expected: 'absent', actual: 'present' });
      continue;
    }
    compared++;
    if (have === undefined) {
      log.add({ layer: 'sample', table: 'listings', id: name, field: '(row)', expected: 'present', actual: 'missing' });
      continue;
    }
    compareRow('listings', name, want.listing, have.listing, log);
    compareRows(
      'listing_locations',
      (row) => String(row.listing_id),
      want.location ? [want.location] : [],
      have.location ? [have.location] : [],
      log,
    );
    compareRows('listing_images', (row) => String(row.id), want.images, have.images, log);
    compareRows(
      'listing_attributes',
      (row) => `${row.listing_id}:${row.attribute_key}`,
      want.attributes,
      have.attributes,
      log,
    );
    compareRows('c2c_favorites', (row) => `${row.user_id}:${row.listing_id}`, want.favorites, have.favorites, log);
  }
  return compared;
}
