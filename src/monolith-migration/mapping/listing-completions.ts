/**
 * `_monolith` completions of a listing (§3.12): translations, the unified_geo row (privacy and point), and B2C
 * product attribute settings. Each is built from rows the pipeline passes with the listing, in a fixed order so
 * the result (and its hash) do not depend on the reader's order.
 */
import { canonicalSourceRow } from './canonical-text.ts';
import { jsonNumber, parseJson } from './json-text.ts';
import { mapPrivacy } from './listing-rules.ts';
import { compactObject, type IssueLog, naiveUtc, setJsonKey, tstzUtc } from './mapping-result.ts';
import type {
  MappingContext,
  SourceGeoRow,
  SourceProductAttributeRow,
  SourceTranslationRow,
  TargetListingRow,
} from './types.ts';

function byId<T extends { readonly id: number | string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0));
}

/** Canonical text of related rows, for the listing's hash. */
export function relatedInput(rows: readonly object[]): string {
  return rows.map(canonicalSourceRow).sort().join('\u001e');
}

/**
 * `{field: {language: {text, machine, verified, version, ...}}}`. Besides the four keys of §3.12 it keeps
 * created_at/updated_at (UTC), metadata and last_modified_by when set, so no translation column is lost.
 */
export function translationsJson(
  rows: readonly SourceTranslationRow[],
  ctx: MappingContext,
  log: IssueLog,
): Record<string, unknown> | null {
  if (rows.length === 0) return null;
  const out: Record<string, Record<string, unknown>> = {};
  const sorted = byId(rows).sort((a, b) =>
    a.field_name === b.field_name ? (a.language < b.language ? -1 : 1) : a.field_name < b.field_name ? -1 : 1,
  );
  for (const row of sorted) {
    if (!Object.hasOwn(out, row.field_name)) setJsonKey(out, row.field_name, {});
    const metadata = row.metadata === null ? null : parseJson(row.metadata);
    const hasMetadata = metadata !== null && !(typeof metadata === 'object' && Object.keys(metadata).length === 0);
    setJsonKey(
      out[row.field_name] as Record<string, unknown>,
      row.language,
      compactObject([
        ['text', row.translated_text],
        ['machine', row.is_machine_translated],
        ['verified', row.is_verified],
        ['version', row.version],
        ['created_at', naiveUtc(row.created_at, ctx, log, 'translations.created_at')],
        ['updated_at', naiveUtc(row.updated_at, ctx, log, 'translations.updated_at')],
        ['metadata', hasMetadata ? metadata : null],
        ['last_modified_by', row.last_modified_by],
      ]),
    );
  }
  return out;
}

function point(latitude: string | null, longitude: string | null): Record<string, unknown> | null {
  if (latitude === null || longitude === null) return null;
  return { lat: jsonNumber(latitude), lon: jsonNumber(longitude) };
}

function geoJson(row: SourceGeoRow): Record<string, unknown> {
  return compactObject([
    ['id', jsonNumber(row.id)],
    ['source_type', row.source_type],
    ['geohash', row.geohash],
    ['formatted_address', row.formatted_address],
    ['blur_radius_meters', row.blur_radius_meters],
    ['privacy_level', row.privacy_level],
    ['point', point(row.latitude, row.longitude)],
    ['original_point', point(row.original_latitude, row.original_longitude)],
    ['created_at', tstzUtc(row.created_at)],
    ['updated_at', tstzUtc(row.updated_at)],
  ]);
}

export interface GeoMapping {
  readonly privacy: TargetListingRow['location_privacy'];
  readonly geo: Record<string, unknown> | null;
  /** Further geo rows of the same listing (both the old and the new source_type name present). */
  readonly superseded: Record<string, unknown>[] | null;
}

/**
 * Privacy and `_monolith.geo` of a C2C listing (§3.4, §3.12). When both a `c2c_listing` and an old
 * `marketplace_listing` row exist, the current name wins and the other is kept under `geo_superseded`.
 */
export function mapGeo(rows: readonly SourceGeoRow[], log: IssueLog): GeoMapping {
  if (rows.length === 0) return { privacy: 'exact', geo: null, superseded: null };
  const ordered = byId(rows).sort(
    (a, b) => Number(b.source_type === 'c2c_listing') - Number(a.source_type === 'c2c_listing'),
  );
  const [chosen, ...rest] = ordered as [SourceGeoRow, ...SourceGeoRow[]];
  return {
    privacy: mapPrivacy(chosen.privacy_level, 'location_privacy', log),
    geo: geoJson(chosen),
    superseded: rest.length === 0 ? null : rest.map(geoJson),
  };
}

/** `_monolith.product_attribute_settings` (§3.5): ordered by attribute_id, code looked up (null when unknown). */
export function productAttributeSettingsJson(
  rows: readonly SourceProductAttributeRow[],
  ctx: MappingContext,
): Record<string, unknown>[] | null {
  if (rows.length === 0) return null;
  return [...rows]
    .sort((a, b) => a.attribute_id - b.attribute_id || a.id - b.id)
    .map((row) => ({
      attribute_id: row.attribute_id,
      attribute_code: ctx.attributeCode(row.attribute_id) ?? null,
      is_enabled: row.is_enabled,
      is_required: row.is_required,
      custom_values: row.custom_values === null ? null : parseJson(row.custom_values),
      created_at: tstzUtc(row.created_at),
      updated_at: tstzUtc(row.updated_at),
    }));
}
