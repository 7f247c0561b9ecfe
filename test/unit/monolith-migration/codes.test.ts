/**
 * Every reject, repair and notice code of §3.14 (and §3.3–§3.12) is produced by at least one scenario here. The
 * scenario tables are typed `Record<Code, …>`, so adding a code without a scenario does not compile.
 */
import { describe, expect, it } from 'vitest';
import { mapAttributeValue } from '../../../src/monolith-migration/mapping/attribute-values.ts';
import { mapB2cProduct } from '../../../src/monolith-migration/mapping/b2c-products.ts';
import { mapC2cListing } from '../../../src/monolith-migration/mapping/c2c-listings.ts';
import { mapCategory, mapStore } from '../../../src/monolith-migration/mapping/categories-and-stores.ts';
import type { NoticeCode, RejectCode, RepairCode } from '../../../src/monolith-migration/mapping/codes.ts';
import {
  mapC2cFavorite,
  mapInventoryMovement,
} from '../../../src/monolith-migration/mapping/favorites-and-movements.ts';
import { mapB2cProductImages, mapC2cImages } from '../../../src/monolith-migration/mapping/images.ts';
import type { MappingResult } from '../../../src/monolith-migration/mapping/types.ts';
import { mapB2cVariant, mapC2cVariant } from '../../../src/monolith-migration/mapping/variants.ts';
import {
  attributeValue,
  b2cImage,
  b2cProduct,
  b2cRelated,
  b2cVariant,
  c2cImage,
  c2cListing,
  c2cRelated,
  category,
  context,
  MIGRATED_PARENT,
  store,
} from './mapping-support.ts';

const ctx = context();
const withFallbacks = context({ options: { priceFallback: '1', ownerFallback: 1, categoryFallback: 10 } });
type Scenario = () => MappingResult<unknown> | MappingResult<unknown>[];
const PIPELINE = 'decided by the pipeline against the target';

const c2c = (overrides: Parameters<typeof c2cListing>[0], c = ctx) =>
  mapC2cListing(c2cListing(overrides), c2cRelated(), c);
const movement = (quantity: number) =>
  mapInventoryMovement(
    {
      id: 1,
      storefront_product_id: 1071,
      variant_id: null,
      type: 'adjustment',
      quantity,
      reason: 'inventory',
      order_id: null,
      notes: null,
      user_id: 7,
      created_at: '2025-10-22 09:15:00+00',
    },
    MIGRATED_PARENT,
    ctx,
  );
const c2cVariant = (stock: number | null) =>
  mapC2cVariant(
    {
      id: 3,
      listing_id: 1070,
      sku: 'A',
      price: '10.00',
      stock,
      attributes: '{}',
      image_url: null,
      is_active: true,
      created_at: '2025-10-20 17:38:47+00',
      updated_at: '2025-10-20 17:38:47+00',
    },
    MIGRATED_PARENT,
    ctx,
  );

const REJECTS: Record<RejectCode, Scenario | typeof PIPELINE> = {
  OWNER_MISSING: () => c2c({ user_id: null }),
  PRICE_MISSING: () => c2c({ price: null }),
  PRICE_NOT_POSITIVE: () => c2c({ price: '0.00' }),
  PRICE_TOO_PRECISE: () => c2c({ price: '10.005' }),
  PRICE_OUT_OF_RANGE: () => c2c({ price: '12345678901234.00' }),
  CATEGORY_MISSING: () => c2c({ category_id: 999 }),
  STORE_MISSING: () => mapB2cProduct(b2cProduct({ storefront_id: 99 }), b2cRelated(), ctx),
  PARENT_MISSING: () => mapC2cImages([c2cImage({ listing_id: null })], { state: 'missing' }, ctx),
  PARENT_REJECTED: () =>
    mapC2cFavorite({ user_id: 1, listing_id: 1070, created_at: null }, { state: 'rejected', id: 1070 }, ctx),
  TARGET_ID_TAKEN: PIPELINE,
  QUANTITY_ZERO: () => movement(0),
  TITLE_TOO_SHORT: () => c2c({ title: 'TV' }, context({ options: { rejectShortTitle: true } })),
  ATTRIBUTE_VALUE_EMPTY: () => mapAttributeValue(attributeValue({ text_value: null }), MIGRATED_PARENT, ctx),
  IMAGE_LOCATION_MISSING: () => mapC2cImages([c2cImage({ public_url: null, file_path: '' })], MIGRATED_PARENT, ctx),
  SKU_CONFLICT: PIPELINE,
  FIELD_TOO_LONG: () => c2c({ title: 'x'.repeat(256) }),
  TIMESTAMP_OUT_OF_RANGE: () => c2c({ created_at: '0044-03-15 12:00:00 BC' }),
};

const REPAIRS: Record<RepairCode, Scenario> = {
  TITLE_TOO_SHORT: () => c2c({ title: 'TV' }),
  PRICE_MISSING: () => c2c({ price: null }, withFallbacks),
  PRICE_NOT_POSITIVE: () => c2c({ price: '-5.00' }, withFallbacks),
  OWNER_MISSING: () => c2c({ user_id: 0 }, withFallbacks),
  CATEGORY_MISSING: () => c2c({ category_id: null }, withFallbacks),
  CATEGORY_PARENT_MISSING: () => mapCategory(category({ parent_id: 777 }), ctx),
  STORE_SLUG_EMPTY: () => mapStore(store({ slug: '' }), ctx),
  STORE_COUNTRY_TOO_LONG: () => mapStore(store({ country: 'Serbia' }), ctx),
  STOREFRONT_REF_DROPPED: () => c2c({ storefront_id: 43 }),
  STATUS_PENDING: () => c2c({ status: 'pending' }),
  STATUS_DELETED: () => c2c({ status: 'deleted' }),
  STATUS_EMPTY: () => c2c({ status: '' }),
  STATUS_UNKNOWN: () => c2c({ status: 'on_hold' }),
  CURRENCY_INVALID: () => c2c({ metadata: '{"currency": "dinar"}' }),
  PRIVACY_APPROXIMATED: () => mapB2cProduct(b2cProduct({ location_privacy: 'street' }), b2cRelated(), ctx),
  COUNTER_NULL: () => c2c({ views_count: null }),
  CREATED_AT_MISSING: () => c2c({ created_at: null }),
  UPDATED_AT_MISSING: () => c2c({ updated_at: null }),
  FAVORITE_CREATED_AT_MISSING: () =>
    mapC2cFavorite({ user_id: 1, listing_id: 1070, created_at: null }, MIGRATED_PARENT, ctx),
  PRIMARY_IMAGE_ASSIGNED: () => mapC2cImages([c2cImage({ is_main: false })], MIGRATED_PARENT, ctx),
  EXTRA_PRIMARY_CLEARED: () =>
    mapB2cProductImages(
      [b2cImage({ id: 1, is_default: true }), b2cImage({ id: 2, is_default: true })],
      MIGRATED_PARENT,
      ctx,
    ),
  IMAGE_ORDER_RENUMBERED: () =>
    mapC2cImages([c2cImage({ id: 1, display_order: 1 }), c2cImage({ id: 2, display_order: 1 })], MIGRATED_PARENT, ctx),
  IMAGE_URL_FROM_PATH: () => mapC2cImages([c2cImage({ public_url: null })], MIGRATED_PARENT, ctx),
  LOCATION_FROM_MULTILINGUAL: () => c2c({ address_multilingual: '{"country_en": "Serbia"}' }),
  ATTRIBUTE_MULTI_VALUE: () => mapAttributeValue(attributeValue({ numeric_value: '5' }), MIGRATED_PARENT, ctx),
  ATTRIBUTE_CONFLICT: () =>
    mapC2cListing(
      c2cListing(),
      c2cRelated({ unifiedCondition: attributeValue({ attribute_id: 2, text_value: 'new' }) }),
      ctx,
    ),
  SOURCE_KEY_COLLISION: () => mapB2cProduct(b2cProduct({ attributes: '{"_monolith": 1}' }), b2cRelated(), ctx),
  FIELD_TOO_LONG: () => c2c({ address_multilingual: `{"postal_code": "${'1'.repeat(21)}"}` }),
  STOCK_NEGATIVE: () => c2cVariant(-2),
  STOCK_STATUS_DERIVED: () =>
    mapB2cVariant(b2cVariant({ stock_quantity: 0 }), { images: [], attributeValues: [] }, MIGRATED_PARENT, ctx),
};

const NOTICES: Record<NoticeCode, Scenario> = {
  AMBIGUOUS_LOCAL_TIME: () => c2c({ created_at: '2025-10-26 02:30:00' }, context({ sourceZone: 'Europe/Belgrade' })),
  TITLE_OVER_255_BYTES: () => c2c({ title: 'Ж'.repeat(200) }),
  COORDINATES_OUT_OF_RANGE: () => c2c({ latitude: '95.00000000', longitude: '20.00000000' }),
  COORDINATES_ZERO: () => c2c({ latitude: '0.00000000', longitude: '0.00000000' }),
};

function results(scenario: Scenario): MappingResult<unknown>[] {
  const out = scenario();
  return Array.isArray(out) ? out : [out];
}

describe('every reject code has a scenario that produces it', () => {
  it.each(Object.entries(REJECTS))('%s', (code, scenario) => {
    if (scenario === PIPELINE) {
      expect(['TARGET_ID_TAKEN', 'SKU_CONFLICT']).toContain(code);
      return;
    }
    const codes = results(scenario).map((r) => (r.kind === 'rejected' ? r.code : null));
    expect(codes).toContain(code);
  });
});

describe('every repair code has a scenario that produces it (the row is still migrated)', () => {
  it.each(Object.entries(REPAIRS))('%s', (code, scenario) => {
    const all = results(scenario);
    expect(all.every((r) => r.kind === 'mapped')).toBe(true);
    expect(all.flatMap((r) => (r.kind === 'mapped' ? r.repairs.map((x) => x.code) : []))).toContain(code);
  });
});

describe('every notice code has a scenario that produces it', () => {
  it.each(Object.entries(NOTICES))('%s', (code, scenario) => {
    const all = results(scenario);
    expect(all.flatMap((r) => (r.kind === 'mapped' ? r.notices.map((x) => x.code) : []))).toContain(code);
  });
});
