/** `c2c_categories` → `c2c_categories` and `b2c_stores` → `storefronts`, ids kept (§3.3). */

import { countryKey } from './country-codes.ts';
import { decimalAtScale } from './decimals.ts';
import { characterLength, mapPrivacy } from './listing-rules.ts';
import { hashOf, IssueLog, mapRow, naiveUtc } from './mapping-result.ts';
import { CATEGORY_COLUMNS, pickColumns, STOREFRONT_COLUMNS } from './target-columns.ts';
import type { MapCategory, MappingContext, MapStore, TargetCategoryRow, TargetStorefrontRow } from './types.ts';

/** A numeric at its column's scale; a value that does not parse (NaN) is passed as printed. */
function atScale(text: string | null, scale: number): string | null {
  return text === null ? null : (decimalAtScale(text, scale) ?? text);
}

/** A missing parent makes the category a root (parent_id NULL, level 0), CATEGORY_PARENT_MISSING. */
export const mapCategory: MapCategory = (row, ctx) => {
  const log = new IssueLog();
  const parentKnown = row.parent_id === null || ctx.categoryExists(row.parent_id);
  const identity = {
    sourceTable: 'c2c_categories',
    sourceKey: String(row.id),
    targetTable: 'c2c_categories',
    row,
    hash: hashOf('c2c_categories', row, ctx, [String(parentKnown)]),
  } as const;
  return mapRow(identity, log, () => {
    let parentId = row.parent_id;
    let level = row.level;
    if (!parentKnown) {
      log.repair('CATEGORY_PARENT_MISSING', 'parent_id', row.parent_id);
      parentId = null;
      level = 0;
    }
    return {
      targetKey: String(row.id),
      extras: parentKnown ? {} : { parent_id: row.parent_id, level: row.level },
      row: {
        ...pickColumns<TargetCategoryRow>(row, CATEGORY_COLUMNS),
        parent_id: parentId,
        level,
        created_at: naiveUtc(row.created_at, ctx, log, 'created_at'),
      },
    };
  });
};

/** The store country: verbatim when it fits the target column, else its ISO code by name, else NULL. */
function storeCountry(country: string | null, ctx: MappingContext, log: IssueLog): string | null {
  if (country === null || characterLength(country) <= ctx.storefrontCountryWidth) return country;
  log.repair('STORE_COUNTRY_TOO_LONG', 'country', country);
  return ctx.countryCodes.get(countryKey(country)) ?? null;
}

export const mapStore: MapStore = (row, ctx) => {
  const log = new IssueLog();
  const countryTooLong = row.country !== null && characterLength(row.country) > ctx.storefrontCountryWidth;
  const identity = {
    sourceTable: 'b2c_stores',
    sourceKey: String(row.id),
    targetTable: 'storefronts',
    row,
    hash: hashOf('b2c_stores', row, ctx, [
      countryTooLong ? (ctx.countryCodes.get(countryKey(row.country ?? '')) ?? '\\N') : '',
    ]),
  } as const;
  return mapRow(identity, log, () => {
    let slug = row.slug;
    if (slug === '') {
      log.repair('STORE_SLUG_EMPTY', 'slug', slug);
      slug = `store-${row.id}`;
    }
    const privacy =
      row.default_privacy_level === null ? null : mapPrivacy(row.default_privacy_level, 'default_privacy_level', log);
    return {
      targetKey: String(row.id),
      extras: {
        default_privacy_level:
          privacy !== null && privacy !== row.default_privacy_level ? row.default_privacy_level : null,
        country: countryTooLong ? row.country : null,
      },
      row: {
        ...pickColumns<TargetStorefrontRow>(row, STOREFRONT_COLUMNS),
        slug,
        country: storeCountry(row.country, ctx, log),
        latitude: atScale(row.latitude, 8),
        longitude: atScale(row.longitude, 8),
        rating: atScale(row.rating, 2),
        commission_rate: atScale(row.commission_rate, 2),
        default_privacy_level: privacy,
        verification_date: naiveUtc(row.verification_date, ctx, log, 'verification_date'),
        subscription_expires_at: naiveUtc(row.subscription_expires_at, ctx, log, 'subscription_expires_at'),
        created_at: naiveUtc(row.created_at, ctx, log, 'created_at'),
        updated_at: naiveUtc(row.updated_at, ctx, log, 'updated_at'),
      },
    };
  });
};
