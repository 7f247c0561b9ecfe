/**
 * Paging: offset pages with the original's texts, clamped sizes where the original clamped, and opaque cursors
 * for keyset pagination.
 *
 * A cursor is base64url text of `{v, s, k, f, c}`: format version, the sort it belongs to, the keyset values of
 * the last row returned, a fingerprint of the filters it was issued for, and an FNV-1a checksum over the rest. The
 * checksum is not a signature (the cursor is not secret, it names rows the caller already saw); it rejects edited
 * or truncated cursors, and the sort and fingerprint reject a cursor replayed against another query.
 */
import { AppError } from './errors.ts';
import { checkAmount, type MinorUnits } from './money.ts';
import type { Violations } from './validation.ts';

export const MAX_PAGE_LIMIT = 100;

export interface OffsetPage {
  readonly limit: number;
  readonly offset: number;
}

/**
 * SearchListings / ListListings: `limit must be greater than 0`, `limit must not exceed 100`,
 * `offset cannot be negative` (limit 0 is an error: the original had no default).
 */
export function checkOffsetPage(v: Violations, limit: number, offset: number): OffsetPage {
  if (!Number.isInteger(limit) || limit <= 0) v.add('limit', 'must_be_positive', 'limit must be greater than 0');
  else if (limit > MAX_PAGE_LIMIT) v.add('limit', 'out_of_range', `limit must not exceed ${MAX_PAGE_LIMIT}`);
  if (!Number.isInteger(offset) || offset < 0) v.add('offset', 'negative', 'offset cannot be negative');
  return { limit, offset };
}

export interface PriceRange {
  readonly min: MinorUnits | null;
  readonly max: MinorUnits | null;
}

/** Optional price bounds (≥ 0, ≤ 2 decimals); `min_price cannot be greater than max_price`. */
export function checkPriceRange(
  v: Violations,
  min: number | null | undefined,
  max: number | null | undefined,
): PriceRange {
  const low = min == null ? null : (checkAmount(v, 'min_price', min, { sign: 'non_negative' }) ?? null);
  const high = max == null ? null : (checkAmount(v, 'max_price', max, { sign: 'non_negative' }) ?? null);
  if (low !== null && high !== null && low > high) {
    v.add('min_price', 'invalid_range', 'min_price cannot be greater than max_price');
  }
  return { min: low, max: high };
}

export const MIN_QUERY_LENGTH = 2;
export const MAX_QUERY_LENGTH = 500;

/**
 * A search text, trimmed. Empty is allowed (browse; the original answered INTERNAL); one character reads
 * `search query must be at least 2 characters`.
 */
export function checkSearchQuery(v: Violations, query: string | null | undefined): string {
  const text = (query ?? '').trim();
  if (text !== '' && [...text].length < MIN_QUERY_LENGTH) {
    v.add('query', 'too_short', `search query must be at least ${MIN_QUERY_LENGTH} characters`);
  } else if ([...text].length > MAX_QUERY_LENGTH) {
    v.add('query', 'too_long', `search query must not exceed ${MAX_QUERY_LENGTH} characters`);
  }
  return text;
}

/** ListProducts: `page` ≥ 1, `page size must be between 1 and 100`; returns the equivalent offset page. */
export function checkPageNumber(v: Violations, page: number, pageSize: number): OffsetPage {
  if (!Number.isInteger(page) || page < 1) v.add('page', 'must_be_positive', 'page must be greater than 0');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_LIMIT) {
    v.add('page_size', 'out_of_range', `page size must be between 1 and ${MAX_PAGE_LIMIT}`);
  }
  return { limit: pageSize, offset: Math.max(0, (page - 1) * pageSize) };
}

/** Clamp a size the original clamped instead of rejecting: ≤ 0 → `fallback`, > `max` → `max`. */
export function clampLimit(value: number | null | undefined, fallback: number, max: number): number {
  if (value == null || !Number.isFinite(value) || value <= 0) return fallback;
  return Math.min(Math.floor(value), max);
}

/** GetPopularCategories: ≤ 0 → 10, > 100 → 100. */
export const popularCategoriesLimit = (limit: number | null | undefined) => clampLimit(limit, 10, 100);
/** GetListingsForReindex: ≤ 0 → 100, > 1000 → 1000. */
export const reindexBatchSize = (size: number | null | undefined) => clampLimit(size, 100, 1000);
/** GetUserFavorites (the original ignored paging): ≤ 0 → 20, > 100 → 100. */
export const favoritesLimit = (limit: number | null | undefined) => clampLimit(limit, 20, MAX_PAGE_LIMIT);

/** Keyset values of the last row of a page, in sort-key order. */
export type Keyset = readonly (string | number | null)[];

export interface CursorScope {
  /** Names the ordering, e.g. `listings:created_at_desc,id_desc`. */
  readonly sort: string;
  /** Stable text of the filters the cursor was issued for (see {@link filterFingerprint}); '' for none. */
  readonly fingerprint?: string;
}

const CURSOR_VERSION = 1;

/** FNV-1a, 32 bit, as 8 hex digits: a checksum, not a MAC. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** Order-independent text of filter values, for {@link CursorScope.fingerprint}. */
export function filterFingerprint(filters: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(filters)
    .filter(([, value]) => value !== undefined && value !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return fnv1a(JSON.stringify(entries));
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

export function encodeCursor(scope: CursorScope, keyset: Keyset): string {
  const body = { v: CURSOR_VERSION, s: scope.sort, k: keyset, f: scope.fingerprint ?? '' };
  const json = JSON.stringify(body);
  return toBase64Url(JSON.stringify({ ...body, c: fnv1a(json) }));
}

export function invalidCursor(field = 'cursor'): AppError {
  return new AppError('VALIDATION_FAILED', `${field} is invalid or belongs to another query`, {
    violations: [{ field, reason: 'invalid_format', message: `${field} is invalid or belongs to another query` }],
  });
}

/**
 * Decodes a cursor issued by {@link encodeCursor} for the same sort and filters. Anything else (edited, truncated,
 * another sort, other filters, wrong number of keys) → VALIDATION_FAILED on `field`.
 */
export function decodeCursor(cursor: string, scope: CursorScope, keyCount: number, field = 'cursor'): Keyset {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromBase64Url(cursor));
  } catch {
    throw invalidCursor(field);
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalidCursor(field);
  const { v, s, k, f, c } = parsed as Record<string, unknown>;
  if (v !== CURSOR_VERSION || typeof c !== 'string') throw invalidCursor(field);
  if (fnv1a(JSON.stringify({ v, s, k, f })) !== c) throw invalidCursor(field);
  if (s !== scope.sort || f !== (scope.fingerprint ?? '')) throw invalidCursor(field);
  if (!Array.isArray(k) || k.length !== keyCount) throw invalidCursor(field);
  const valid = k.every((key) => key === null || typeof key === 'string' || Number.isFinite(key));
  if (!valid) throw invalidCursor(field);
  return k as Keyset;
}
