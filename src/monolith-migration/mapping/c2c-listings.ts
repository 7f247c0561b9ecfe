/** `c2c_listings` → `listings` (source_type c2c) with its location and `condition` attribute (§3.4, §3.7, §3.8). */

import { typedValue } from './attribute-values.ts';
import { canonicalSourceRow } from './canonical-text.ts';
import { MONOLITH_KEY } from './constants.ts';
import { isJsonObject, jsonColumn, parseJson, stringifyJson } from './json-text.ts';
import { mapGeo, relatedInput, translationsJson } from './listing-completions.ts';
import { mapC2cCurrency, mapCategoryRef, mapOwner, mapPrice, mapTitle } from './listing-rules.ts';
import { c2cLocation } from './locations.ts';
import { compactObject, hashOf, IssueLog, mapRow, naiveUtc, RejectionCollector, setJsonKey } from './mapping-result.ts';
import { mapC2cStatus } from './status-map.ts';
import type { ListingBundle, MapC2cListing, MappingContext, SourceC2cListingRow, UtcTimestampText } from './types.ts';
import { listingUuid } from './uuid-v5.ts';

/** `metadata->>'currency'` as PostgreSQL computes it. */
function metadataCurrency(metadata: string | null): string | null {
  if (metadata === null) return null;
  const parsed = parseJson(metadata);
  if (!isJsonObject(parsed) || !Object.hasOwn(parsed, 'currency')) return null;
  const value = parsed.currency;
  if (value === null) return null;
  return typeof value === 'string' ? value : stringifyJson(value);
}

/** created_at NULL → updated_at, else the run time; updated_at NULL → created_at (§3.4). */
export function listingTimes(
  createdRaw: string | null,
  updatedRaw: string | null,
  ctx: MappingContext,
  log: IssueLog,
): { created_at: UtcTimestampText; updated_at: UtcTimestampText } {
  const created = naiveUtc(createdRaw, ctx, log, 'created_at');
  const updated = naiveUtc(updatedRaw, ctx, log, 'updated_at');
  let createdAt = created;
  if (createdAt === null) {
    log.repair('CREATED_AT_MISSING', 'created_at', null);
    createdAt = updated ?? ctx.runTime;
  }
  if (updated === null) log.repair('UPDATED_AT_MISSING', 'updated_at', null);
  return { created_at: createdAt, updated_at: updated ?? createdAt };
}

export const mapC2cListing: MapC2cListing = (row, related, ctx) => {
  const log = new IssueLog();
  const hash = hashOf('c2c_listings', row, ctx, [
    relatedInput(related.geo),
    relatedInput(related.translations),
    String(related.variantCount),
    String(related.favoritesCount),
    related.unifiedCondition === null ? '\\N' : canonicalSourceRow(related.unifiedCondition),
  ]);
  const identity = {
    sourceTable: 'c2c_listings',
    sourceKey: String(row.id),
    targetTable: 'listings',
    row,
    hash,
  } as const;
  return mapRow<ListingBundle>(identity, log, () => {
    const checks = new RejectionCollector();
    const owner = checks.attempt(() => mapOwner(row.user_id, ctx, log));
    const category = checks.attempt(() => mapCategoryRef(row.category_id, ctx, log));
    const price = checks.attempt(() => mapPrice(row.price, ctx, log));
    const title = checks.attempt(() => mapTitle(row.title, row.id, ctx, log));
    checks.settle();
    if (owner === undefined || category === undefined || price === undefined || title === undefined) {
      throw new Error('unreachable: settle() rejects when a check failed');
    }
    return buildBundle(
      row,
      related,
      ctx,
      log,
      { owner: owner.id, category: category.id, price: price.price, title },
      owner.forcedDraft || category.forcedDraft || price.forcedDraft,
    );
  });
};

interface CheckedValues {
  readonly owner: number;
  readonly category: number;
  readonly price: string;
  readonly title: string;
}

function buildBundle(
  row: SourceC2cListingRow,
  related: Parameters<MapC2cListing>[1],
  ctx: MappingContext,
  log: IssueLog,
  values: CheckedValues,
  forcedDraft: boolean,
): { targetKey: string; row: ListingBundle; repairsInExtras: false } {
  const currency = mapC2cCurrency(metadataCurrency(row.metadata), log);
  const mappedStatus = mapC2cStatus(row.status);
  if (mappedStatus.code !== null) log.repair(mappedStatus.code, 'status', row.status);
  const status = forcedDraft ? 'draft' : mappedStatus.status;
  const times = listingTimes(row.created_at, row.updated_at, ctx, log);
  if (row.storefront_id !== null) log.repair('STOREFRONT_REF_DROPPED', 'storefront_id', row.storefront_id);
  if (row.views_count === null) log.repair('COUNTER_NULL', 'view_count', null);
  const geo = mapGeo(related.geo, log);
  const translations = translationsJson(related.translations, ctx, log);
  const location = c2cLocation(row, times, log);

  let conditionAttribute: ListingBundle['conditionAttribute'] = null;
  if (row.condition !== null) {
    const unified = related.unifiedCondition === null ? null : typedValue(related.unifiedCondition);
    if (unified === null) {
      conditionAttribute = {
        listing_id: row.id,
        attribute_key: 'condition',
        attribute_value: row.condition,
        created_at: times.created_at,
      };
    } else if (unified.text !== row.condition) {
      log.repair('ATTRIBUTE_CONFLICT', 'condition', row.condition);
    }
  }

  const monolith = compactObject([
    ['condition', row.condition],
    ['original_language', row.original_language],
    ['external_id', row.external_id],
    ['metadata', jsonColumn(row.metadata)],
    ['address_multilingual', jsonColumn(row.address_multilingual)],
    ['needs_reindex', row.needs_reindex],
    ['status_raw', row.status !== status ? row.status : null],
    ['storefront_id_raw', row.storefront_id],
    ['translations', translations],
    ['geo', geo.geo],
    ['geo_superseded', geo.superseded],
    ['repairs', log.repairs.length > 0 ? log.repairsJson() : null],
  ]);
  const attributes: Record<string, unknown> = {};
  setJsonKey(attributes, MONOLITH_KEY, monolith);

  return {
    targetKey: String(row.id),
    repairsInExtras: false,
    row: {
      listing: {
        id: row.id,
        uuid: listingUuid('c2c_listings', row.id),
        user_id: values.owner,
        storefront_id: null,
        title: values.title,
        description: row.description,
        price: values.price,
        currency,
        category_id: values.category,
        status,
        visibility: 'public',
        quantity: 1,
        sku: null,
        barcode: null,
        view_count: row.views_count ?? 0,
        favorites_count: related.favoritesCount,
        created_at: times.created_at,
        updated_at: times.updated_at,
        published_at: status === 'active' ? times.created_at : null,
        deleted_at: mappedStatus.deleted ? times.updated_at : null,
        is_deleted: mappedStatus.deleted,
        source_type: 'c2c',
        attributes: stringifyJson(attributes),
        stock_status: 'in_stock',
        sold_count: 0,
        has_individual_location: false,
        individual_address: null,
        individual_latitude: null,
        individual_longitude: null,
        location_privacy: geo.privacy,
        show_on_map: row.show_on_map,
        has_variants: related.variantCount > 0,
      },
      location,
      conditionAttribute,
    },
  };
}
