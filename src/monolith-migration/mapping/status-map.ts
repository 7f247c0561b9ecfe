/** The status map of §3.6. */
import type { RepairCode } from './codes.ts';
import type { TargetListingRow } from './target-rows.ts';

export type TargetStatus = TargetListingRow['status'];

export interface StatusMapping {
  readonly status: TargetStatus;
  /** Source `deleted`: the listing is soft-deleted (is_deleted, deleted_at = updated_at). */
  readonly deleted: boolean;
  /** The report code, or null when the status maps to itself. */
  readonly code: RepairCode | null;
}

const KEPT = new Set<string>(['active', 'inactive', 'draft', 'sold', 'archived']);

/** PostgreSQL's `btrim(text)` / `trim(text)`: removes spaces only, not tabs or other whitespace. */
export function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  return text.slice(start, end);
}

/** A C2C status, normalised as `lower(btrim(status))`, mapped to the target set. */
export function mapC2cStatus(raw: string | null): StatusMapping {
  const normalised = raw === null ? '' : trimSpaces(raw).toLowerCase();
  if (KEPT.has(normalised)) return { status: normalised as TargetStatus, deleted: false, code: null };
  if (normalised === 'pending') return { status: 'draft', deleted: false, code: 'STATUS_PENDING' };
  if (normalised === 'deleted') return { status: 'archived', deleted: true, code: 'STATUS_DELETED' };
  if (normalised === '') return { status: 'draft', deleted: false, code: 'STATUS_EMPTY' };
  return { status: 'draft', deleted: false, code: 'STATUS_UNKNOWN' };
}

/** B2C products have only `is_active`. */
export function mapB2cStatus(isActive: boolean): StatusMapping {
  return { status: isActive ? 'active' : 'inactive', deleted: false, code: null };
}
