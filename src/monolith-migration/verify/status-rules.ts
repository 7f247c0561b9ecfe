/**
 * §3.6 written out again for verify's status matrix, on purpose apart from mapping/status-map.ts: the matrix layer
 * must not trust the code it checks. Normalisation is `lower(btrim(status))` (btrim removes spaces only).
 */
const KEPT = new Set(['active', 'inactive', 'draft', 'sold', 'archived']);

/** The normalised raw value, as the matrix labels it (`''` for NULL and blank). */
export function rawC2cStatus(status: string | null): string {
  return (status ?? '').replace(/^ +| +$/g, '').toLowerCase();
}

/** Target status §3.6 gives a raw C2C status; `forcedDraft` when a fallback option repaired the row (§3.14). */
export function expectedC2cStatus(raw: string, forcedDraft: boolean): string {
  if (forcedDraft) return 'draft';
  if (KEPT.has(raw)) return raw;
  if (raw === 'deleted') return 'archived';
  return 'draft';
}

export function rawB2cStatus(isActive: boolean): string {
  return isActive ? 'is_active=true' : 'is_active=false';
}

export function expectedB2cStatus(isActive: boolean, forcedDraft: boolean): string {
  if (forcedDraft) return 'draft';
  return isActive ? 'active' : 'inactive';
}

/** Repairs that force a listing to draft (the §3.14 opt-in fallbacks). */
export const FORCING_REPAIRS: ReadonlySet<string> = new Set([
  'PRICE_MISSING',
  'PRICE_NOT_POSITIVE',
  'OWNER_MISSING',
  'CATEGORY_MISSING',
]);
