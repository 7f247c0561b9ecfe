/** `b2c_products` → `listings` (source_type b2c) with its individual location (§3.5, §3.7). */
import { MONOLITH_KEY } from './constants.ts';
import { isJsonObject, jsonColumn, parseJson, stringifyJson } from './json-text.ts';
import { productAttributeSettingsJson, relatedInput } from './listing-completions.ts';
import { mapB2cCurrency, mapCategoryRef, mapOwner, mapPrice, mapPrivacy, mapTitle } from './listing-rules.ts';
import { b2cLocation } from './locations.ts';
import {
  compactObject,
  hashOf,
  IssueLog,
  mapRow,
  RejectionCollector,
  reject,
  setJsonKey,
  tstzUtc,
} from './mapping-result.ts';
import type { ListingBundle, MapB2cProduct, TargetListingRow } from './types.ts';
import { listingUuid } from './uuid-v5.ts';

/** What the target's listings_derive_stock_status trigger stores for a b2c row (migrations/…003). */
export function derivedProductStockStatus(quantity: number): TargetListingRow['stock_status'] {
  if (quantity <= 0) return 'out_of_stock';
  if (quantity <= 5) return 'low_stock';
  return 'in_stock';
}

/**
 * The target attributes: every top-level key of the source object verbatim, plus `_monolith`. A source key named
 * `_monolith` moves to `_monolith.source_key_collision`; a source value that is not an object goes to
 * `_monolith.source_attributes`.
 */
function splitAttributes(text: string | null): { own: [string, unknown][]; collision: unknown; nonObject: unknown } {
  if (text === null) return { own: [], collision: null, nonObject: null };
  const parsed = parseJson(text);
  if (!isJsonObject(parsed)) return { own: [], collision: null, nonObject: jsonColumn(text) };
  const own = Object.entries(parsed).filter(([key]) => key !== MONOLITH_KEY);
  return { own, collision: Object.hasOwn(parsed, MONOLITH_KEY) ? parsed[MONOLITH_KEY] : null, nonObject: null };
}

export const mapB2cProduct: MapB2cProduct = (row, related, ctx) => {
  const log = new IssueLog();
  const owner = ctx.storeOwner(row.storefront_id);
  const hash = hashOf('b2c_products', row, ctx, [
    owner === undefined ? '\\N' : String(owner),
    relatedInput(related.attributeSettings),
    String(related.favoritesCount),
    related.attributeSettings.map((s) => ctx.attributeCode(s.attribute_id) ?? '\\N').join(','),
  ]);
  const identity = {
    sourceTable: 'b2c_products',
    sourceKey: String(row.id),
    targetTable: 'listings',
    row,
    hash,
  } as const;
  return mapRow<ListingBundle>(identity, log, () => {
    const checks = new RejectionCollector();
    const user = checks.attempt(() => {
      if (owner === undefined) reject('STORE_MISSING', `store ${row.storefront_id} is missing or was rejected`);
      return mapOwner(owner, ctx, log);
    });
    const category = checks.attempt(() => mapCategoryRef(row.category_id, ctx, log));
    const price = checks.attempt(() => mapPrice(row.price, ctx, log));
    const title = checks.attempt(() => mapTitle(row.name, row.id, ctx, log));
    checks.settle();
    if (user === undefined || category === undefined || price === undefined || title === undefined) {
      throw new Error('unreachable: settle() rejects when a check failed');
    }
    const currency = mapB2cCurrency(row.currency, log);
    const status =
      user.forcedDraft || category.forcedDraft || price.forcedDraft ? 'draft' : row.is_active ? 'active' : 'inactive';
    const createdAt = tstzUtc(row.created_at) as string;
    const updatedAt = tstzUtc(row.updated_at) as string;
    const privacy = mapPrivacy(row.location_privacy, 'location_privacy', log);
    const stockStatus = derivedProductStockStatus(row.stock_quantity);
    if (stockStatus !== row.stock_status) log.repair('STOCK_STATUS_DERIVED', 'stock_status', row.stock_status);
    const location = b2cLocation(row, { created_at: createdAt, updated_at: updatedAt }, log);
    const attributes = splitAttributes(row.attributes);
    if (attributes.collision !== null) log.repair('SOURCE_KEY_COLLISION', `attributes.${MONOLITH_KEY}`, null);

    const monolith = compactObject([
      ['location_privacy', privacy === 'exact' ? null : row.location_privacy],
      ['stock_status_raw', stockStatus !== row.stock_status ? row.stock_status : null],
      ['product_attribute_settings', productAttributeSettingsJson(related.attributeSettings, ctx)],
      ['source_key_collision', attributes.collision],
      ['source_attributes', attributes.nonObject],
      ['repairs', log.repairs.length > 0 ? log.repairsJson() : null],
    ]);
    const target: Record<string, unknown> = {};
    for (const [key, value] of attributes.own) setJsonKey(target, key, value);
    setJsonKey(target, MONOLITH_KEY, monolith);

    return {
      targetKey: String(row.id),
      repairsInExtras: false,
      row: {
        listing: {
          id: row.id,
          uuid: listingUuid('b2c_products', row.id),
          user_id: user.id,
          storefront_id: row.storefront_id,
          title,
          description: row.description,
          price: price.price,
          currency,
          category_id: category.id,
          status,
          visibility: 'public',
          quantity: row.stock_quantity,
          sku: row.sku,
          barcode: row.barcode,
          view_count: row.view_count,
          favorites_count: related.favoritesCount,
          created_at: createdAt,
          updated_at: updatedAt,
          published_at: status === 'active' ? createdAt : null,
          deleted_at: null,
          is_deleted: false,
          source_type: 'b2c',
          attributes: stringifyJson(target),
          stock_status: stockStatus,
          sold_count: row.sold_count,
          has_individual_location: row.has_individual_location,
          individual_address: row.individual_address,
          individual_latitude: row.individual_latitude,
          individual_longitude: row.individual_longitude,
          location_privacy: privacy,
          show_on_map: row.show_on_map,
          has_variants: row.has_variants,
        },
        location,
        conditionAttribute: null,
      },
    };
  });
};
