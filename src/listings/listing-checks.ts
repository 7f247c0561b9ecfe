import { AppError } from '../domain/errors.ts';
import type { Violations } from '../domain/validation.ts';

/** `listing not found: <id>` (the original's GetListing text; the other RPCs said `listing not found`). */
export function listingNotFound(id: number): AppError {
  return new AppError('LISTING_NOT_FOUND', `listing not found: ${id}`, { details: { listingId: id } });
}

/** A stale `expectedVersion` (optimistic concurrency): the caller re-reads and retries. */
export function versionConflict(id: number, expected: number, actual: number): AppError {
  return new AppError(
    'VERSION_CONFLICT',
    `listing ${id} was changed: expected version ${expected}, current version ${actual}`,
    { details: { listingId: id, expected, actual } },
  );
}

/** Validates an optional expected version (a positive integer) into `v`. */
export function checkExpectedVersion(v: Violations, value: number | null | undefined): number | null {
  if (value == null) return null;
  if (!Number.isSafeInteger(value) || value < 1) {
    v.add('expected_version', 'must_be_positive', 'expected_version must be greater than 0');
    return null;
  }
  return value;
}
