/** Variants → `b2c_product_variants` (§3.10), with variant images and variant attribute values in extras/JSON. */
import { decimalAtScale } from './decimals.ts';
import { isJsonObject, jsonColumn, parseJson, stringifyJson } from './json-text.ts';
import { relatedInput } from './listing-completions.ts';
import { compactObject, hashOf, IssueLog, mapRow, offsetId, reject, setJsonKey, tstzUtc } from './mapping-result.ts';
import type {
  MapB2cVariant,
  MapC2cVariant,
  ParentListing,
  SourceVariantImageRow,
  TargetVariantRow,
  UtcTimestampText,
  VariantAttributeValue,
} from './types.ts';

/** What the target's b2c_product_variants_derive_stock_status trigger stores (migrations/…005). */
export function derivedVariantStockStatus(
  quantity: number,
  threshold: number | null,
): TargetVariantRow['stock_status'] {
  if (quantity <= 0) return 'out_of_stock';
  if (quantity <= (threshold ?? 0)) return 'low_stock';
  return 'in_stock';
}

function parentCheck(parent: ParentListing): asserts parent is ParentListing & { state: 'migrated' } {
  if (parent.state === 'missing') reject('PARENT_MISSING', 'the product of this variant does not exist');
  if (parent.state === 'rejected') reject('PARENT_REJECTED', `listing ${parent.id} was rejected`);
}

function money(text: string | null): string | null {
  return text === null ? null : (decimalAtScale(text, 2) ?? text);
}

/** Variant images as an ordered array (display_order, is_main first, id) for the variant's extras. */
function variantImagesJson(rows: readonly SourceVariantImageRow[]): unknown[] | null {
  if (rows.length === 0) return null;
  return [...rows]
    .sort((a, b) => a.display_order - b.display_order || Number(b.is_main) - Number(a.is_main) || a.id - b.id)
    .map((row) =>
      compactObject([
        ['id', row.id],
        ['image_url', row.image_url],
        ['thumbnail_url', row.thumbnail_url],
        ['alt_text', row.alt_text],
        ['display_order', row.display_order],
        ['is_main', row.is_main],
        ['created_at', tstzUtc(row.created_at)],
      ]),
    );
}

/**
 * Unified values go into variant_attributes under their code when the key is absent; a present key with another
 * value keeps the source value and records the unified one in extras (ATTRIBUTE_CONFLICT).
 */
function mergeAttributes(
  text: string,
  values: readonly VariantAttributeValue[],
  log: IssueLog,
): { json: string; conflicts: Record<string, unknown> | null } {
  const parsed = parseJson(text);
  if (values.length === 0) return { json: stringifyJson(parsed), conflicts: null };
  const target = isJsonObject(parsed) ? parsed : null;
  const conflicts: Record<string, unknown> = {};
  for (const value of [...values].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))) {
    const incoming = parseJson(value.value);
    if (target !== null && !Object.hasOwn(target, value.code)) {
      setJsonKey(target, value.code, incoming);
    } else if (target === null || stringifyJson(target[value.code]) !== stringifyJson(incoming)) {
      setJsonKey(conflicts, value.code, incoming);
      log.repair('ATTRIBUTE_CONFLICT', `variant_attributes.${value.code}`, value.value);
    }
  }
  return { json: stringifyJson(target ?? parsed), conflicts: Object.keys(conflicts).length > 0 ? conflicts : null };
}

/** b2c_product_variants: all 19 columns, id kept; stock_status as the target trigger derives it (raw kept). */
export const mapB2cVariant: MapB2cVariant = (row, related, parent, ctx) => {
  const log = new IssueLog();
  const identity = {
    sourceTable: 'b2c_product_variants',
    sourceKey: String(row.id),
    targetTable: 'b2c_product_variants',
    row,
    hash: hashOf('b2c_product_variants', row, ctx, [
      relatedInput(related.images),
      relatedInput(related.attributeValues),
      parent.state,
    ]),
  } as const;
  return mapRow(identity, log, () => {
    parentCheck(parent);
    const stockStatus = derivedVariantStockStatus(row.stock_quantity, row.low_stock_threshold);
    if (stockStatus !== row.stock_status) log.repair('STOCK_STATUS_DERIVED', 'stock_status', row.stock_status);
    const attributes = mergeAttributes(row.variant_attributes, related.attributeValues, log);
    return {
      targetKey: String(row.id),
      extras: {
        stock_status: stockStatus !== row.stock_status ? row.stock_status : null,
        images: variantImagesJson(related.images),
        attribute_conflicts: attributes.conflicts,
      },
      row: {
        id: row.id,
        product_id: parent.id,
        sku: row.sku,
        barcode: row.barcode,
        price: money(row.price),
        compare_at_price: money(row.compare_at_price),
        cost_price: money(row.cost_price),
        stock_quantity: row.stock_quantity,
        stock_status: stockStatus,
        low_stock_threshold: row.low_stock_threshold,
        variant_attributes: attributes.json,
        weight: row.weight === null ? null : (decimalAtScale(row.weight, 3) ?? row.weight),
        dimensions: row.dimensions === null ? null : stringifyJson(jsonColumn(row.dimensions)),
        is_active: row.is_active,
        is_default: row.is_default,
        view_count: row.view_count,
        sold_count: row.sold_count,
        created_at: tstzUtc(row.created_at) as UtcTimestampText,
        updated_at: tstzUtc(row.updated_at) as UtcTimestampText,
      },
    };
  });
};

/**
 * c2c_listing_variants: id + offset, stock = COALESCE(stock, 0) (negative → 0, STOCK_NEGATIVE), no threshold so
 * the target derives out_of_stock at 0 and in_stock otherwise, as §3.10 states; image_url in extras.
 */
export const mapC2cVariant: MapC2cVariant = (row, parent, ctx) => {
  const log = new IssueLog();
  const identity = {
    sourceTable: 'c2c_listing_variants',
    sourceKey: String(row.id),
    targetTable: 'b2c_product_variants',
    row,
    hash: hashOf('c2c_listing_variants', row, ctx, [parent.state === 'migrated' ? parent.createdAt : parent.state]),
  } as const;
  return mapRow(identity, log, () => {
    parentCheck(parent);
    let stock = row.stock ?? 0;
    if (row.stock === null) log.repair('COUNTER_NULL', 'stock_quantity', null);
    if (stock < 0) {
      log.repair('STOCK_NEGATIVE', 'stock_quantity', stock);
      stock = 0;
    }
    let createdAt = tstzUtc(row.created_at);
    const updatedAt = tstzUtc(row.updated_at);
    if (createdAt === null) {
      log.repair('CREATED_AT_MISSING', 'created_at', null);
      createdAt = updatedAt ?? parent.createdAt;
    }
    if (updatedAt === null) log.repair('UPDATED_AT_MISSING', 'updated_at', null);
    return {
      targetKey: String(offsetId('c2c_listing_variants', row.id)),
      extras: { image_url: row.image_url, stock: row.stock !== null && row.stock < 0 ? row.stock : null },
      row: {
        id: offsetId('c2c_listing_variants', row.id),
        product_id: parent.id,
        sku: row.sku,
        barcode: null,
        price: money(row.price),
        compare_at_price: null,
        cost_price: null,
        stock_quantity: stock,
        stock_status: derivedVariantStockStatus(stock, null),
        low_stock_threshold: null,
        variant_attributes: stringifyJson(parseJson(row.attributes)),
        weight: null,
        dimensions: null,
        is_active: row.is_active,
        is_default: false,
        view_count: 0,
        sold_count: 0,
        created_at: createdAt,
        updated_at: updatedAt ?? createdAt,
      },
    };
  });
};
