import { hash } from 'node:crypto';
import type { IndexItemResult, SearchDocument } from '../../ports/search-index.ts';
import { toSource } from '../../src/search/search-document-source.ts';

/** The name of the serving table; shadow tables are `listing_search_v<N>`, retired ones `listing_search_r<N>`. */
export const SERVING_TABLE = 'listing_search';
const TABLE_NAME = /^listing_search(?:_[vr][1-9][0-9]{0,8})?$/;

export function isSearchTableName(name: string): boolean {
  return TABLE_NAME.test(name);
}

/** The columns a document fills, in insert order (the generated vectors and `indexed_at` fill themselves). */
export const DOCUMENT_COLUMNS = [
  'listing_id',
  'version',
  'removed',
  'title',
  'description',
  'keywords',
  'price',
  'currency',
  'category_id',
  'status',
  'visibility',
  'source_type',
  'user_id',
  'storefront_id',
  'attributes',
  'latitude',
  'longitude',
  'created_at',
  'document',
  'document_hash',
] as const;

/**
 * The `document` column's JSON: the document's one serialised form (search-document-source.ts), the same text the
 * OpenSearch adapter sends as `_source`, so a worker writing both serialises each document once (upsertDocuments
 * takes the texts from `sourceJsons`). Until 2026-11-26 the column held `JSON.stringify` of the SearchDocument itself
 * (camelCase, price in minor units) and its hash was of that text: such a row is rewritten once, the next time its
 * listing is indexed (its hash no longer matches), and read back either way (pg-search-maintenance.ts).
 */
export function documentJson(document: SearchDocument): string {
  return JSON.stringify(toSource(document));
}

/**
 * The `document_hash` of a document serialised as `json`: equal hashes at the same version mean the table already
 * holds the document as given (pg-search-writes.ts leaves those out of its writes).
 */
export function documentHash(json: string | Buffer): string {
  return hash('sha256', json, 'base64');
}

/**
 * One row's values in {@link DOCUMENT_COLUMNS} order; JSON bound as text (see adapters/sql/value-parsers.ts). `json`
 * is the document serialised and `digest` its {@link documentHash}, when the caller has them already (serialising
 * is most of the worker's CPU per row).
 */
export function documentRow(
  document: SearchDocument,
  json: string = documentJson(document),
  digest: string = documentHash(json),
): unknown[] {
  const attributes = Object.fromEntries(document.attributes.map(({ key, value }) => [key, value]));
  const keywords = [...document.tags, ...document.attributes.flatMap(({ key, value }) => [key, value])].join(' ');
  return [
    document.id,
    document.version,
    false,
    document.title,
    document.description,
    keywords,
    document.price,
    document.currency,
    document.categoryId,
    document.status,
    document.visibility,
    document.sourceType,
    document.userId,
    document.storefrontId,
    JSON.stringify(attributes),
    document.location?.lat ?? null,
    document.location?.lon ?? null,
    document.createdAt,
    json,
    digest,
  ];
}

/**
 * Why PostgreSQL would refuse this document, or null. Checked before writing so one bad document is reported on
 * its own instead of failing the statement that carries the whole batch. `json` is the document's
 * {@link documentJson}, or null when it could not be serialised (the dates are checked first, so that is their reason).
 */
export function documentProblem(document: SearchDocument, json: string | Buffer | null): string | null {
  if (!isPositiveInteger(document.id)) return `id must be a positive integer, not ${document.id}`;
  if (!isPositiveInteger(document.version)) return `version must be a positive integer, not ${document.version}`;
  if (!Number.isSafeInteger(document.price)) return `price must be whole minor units, not ${document.price}`;
  if (!(document.createdAt instanceof Date) || Number.isNaN(document.createdAt.getTime())) {
    return 'created_at is not a valid date';
  }
  if (!isValidDate(document.updatedAt)) return 'updated_at is not a valid date';
  if (document.publishedAt !== null && !isValidDate(document.publishedAt)) return 'published_at is not a valid date';
  const location = document.location;
  if (location !== null) {
    if (!(Number.isFinite(location.lat) && Math.abs(location.lat) <= 90)) {
      return `location.lat must be between -90 and 90, not ${location.lat}`;
    }
    if (!(Number.isFinite(location.lon) && Math.abs(location.lon) <= 180)) {
      return `location.lon must be between -180 and 180, not ${location.lon}`;
    }
  }
  if (json === null) return 'the document cannot be serialised';
  if (hasNul(json)) return 'text must not contain NUL characters';
  return null;
}

export function removalProblem(item: { readonly id: number; readonly version: number }): string | null {
  if (!isPositiveInteger(item.id)) return `id must be a positive integer, not ${item.id}`;
  if (!isPositiveInteger(item.version)) return `version must be a positive integer, not ${item.version}`;
  return null;
}

function isPositiveInteger(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0;
}

function isValidDate(value: Date): boolean {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

function hasNul(json: string | Buffer): boolean {
  return json.includes('\\u0000');
}

/** Results for the items of a batch whose statement could not run: every item gets the same outcome. */
export function sameResultForAll(
  ids: readonly number[],
  status: 'retryable' | 'permanent',
  reason: string,
): IndexItemResult[] {
  return ids.map((id) => ({ id, status, reason }));
}
