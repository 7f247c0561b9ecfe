import { describe, expect, it } from 'vitest';
import { mapCompletion } from '../../../src/monolith-migration/mapping/completions.ts';
import {
  favoritesPerListing,
  mapB2cFavorite,
  mapC2cFavorite,
  mapInventoryMovement,
} from '../../../src/monolith-migration/mapping/favorites-and-movements.ts';
import { context, expectMapped, expectRejected, geoRow, MIGRATED_PARENT } from './mapping-support.ts';

const ctx = context({ sourceZone: 'Europe/Belgrade' });

describe('favorites → c2c_favorites (§3.11)', () => {
  it('converts the naive created_at to UTC and keys the row user:listing', () => {
    const result = expectMapped(
      mapC2cFavorite({ user_id: 4, listing_id: 1070, created_at: '2025-10-21 10:00:00' }, MIGRATED_PARENT, ctx),
    );
    expect(result.row).toEqual({ user_id: 4, listing_id: 1070, created_at: '2025-10-21T08:00:00.000000Z' });
    expect([result.sourceKey, result.targetKey]).toEqual(['4:1070', '4:1070']);
  });

  it('maps a B2C favorite onto its product listing id', () => {
    const result = expectMapped(
      mapB2cFavorite(
        { user_id: 4, product_id: 1071, created_at: '2025-10-21 10:00:00' },
        { ...MIGRATED_PARENT, id: 1071 },
        ctx,
      ),
    );
    expect(result.row.listing_id).toBe(1071);
    expect(result.sourceTable).toBe('b2c_favorites');
  });

  it("takes the listing's created_at for a NULL one (the target column is NOT NULL)", () => {
    const result = expectMapped(
      mapC2cFavorite({ user_id: 4, listing_id: 1070, created_at: null }, MIGRATED_PARENT, ctx),
    );
    expect(result.row.created_at).toBe(MIGRATED_PARENT.createdAt);
  });

  it('rejects favorites of missing or rejected listings (orphans, Q10)', () => {
    const row = { user_id: 4, listing_id: 1, created_at: null };
    expect(expectRejected(mapC2cFavorite(row, { state: 'missing' }, ctx)).code).toBe('PARENT_MISSING');
    expect(expectRejected(mapC2cFavorite(row, { state: 'rejected', id: 1 }, ctx)).code).toBe('PARENT_REJECTED');
  });

  it('counts favorites per listing', () => {
    const rows = [1, 2, 3].map((user_id) => ({ user_id, listing_id: user_id === 3 ? 2 : 1, created_at: '' }));
    expect([...favoritesPerListing(rows)]).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });
});

describe('b2c_inventory_movements → inventory_movements (§3.12)', () => {
  const movement = {
    id: 77,
    storefront_product_id: 1071,
    variant_id: 9,
    type: 'out',
    quantity: -2,
    reason: 'order',
    order_id: 5001,
    notes: 'Porudžbina',
    user_id: 7,
    created_at: '2025-10-23 12:00:00.25+00',
  };

  it('keeps the id and columns, order_id as text and in metadata', () => {
    const result = expectMapped(mapInventoryMovement(movement, { ...MIGRATED_PARENT, id: 1071 }, ctx));
    expect(result.row).toEqual({
      id: 77,
      listing_id: 1071,
      variant_id: 9,
      movement_type: 'out',
      quantity: -2,
      reason: 'order',
      notes: 'Porudžbina',
      user_id: 7,
      order_id: '5001',
      created_at: '2025-10-23T12:00:00.250000Z',
      metadata: '{"source_table":"b2c_inventory_movements","source_id":77,"order_id":5001}',
    });
  });

  it('rejects quantity 0 and movements of missing products', () => {
    expect(expectRejected(mapInventoryMovement({ ...movement, quantity: 0 }, MIGRATED_PARENT, ctx)).code).toBe(
      'QUANTITY_ZERO',
    );
    expect(expectRejected(mapInventoryMovement(movement, { state: 'missing' }, ctx)).code).toBe('PARENT_MISSING');
  });
});

describe('completion rows (§3.12)', () => {
  it('accounts a geo row as absorbed by its listing', () => {
    const result = expectMapped(mapCompletion('unified_geo', geoRow(), { state: 'migrated', targetId: 1070 }, ctx));
    expect(result).toMatchObject({
      sourceTable: 'unified_geo',
      sourceKey: '2025',
      targetTable: 'listings',
      targetKey: '1070',
      row: { targetTable: 'listings', targetId: 1070 },
    });
  });

  it('accounts a variant image as absorbed by its variant', () => {
    const image = {
      id: 4,
      variant_id: 9,
      image_url: 'u',
      thumbnail_url: null,
      alt_text: null,
      display_order: 0,
      is_main: true,
      created_at: '2025-10-22 09:15:00+00',
    };
    const result = expectMapped(
      mapCompletion('b2c_product_variant_images', image, { state: 'migrated', targetId: 9 }, ctx),
    );
    expect(result.targetTable).toBe('b2c_product_variants');
  });

  it('rejects orphans (translations of deleted listings, Q10)', () => {
    const translation = {
      id: 8,
      entity_type: 'listing',
      entity_id: 5,
      language: 'sr',
      field_name: 'title',
      translated_text: 'x',
      is_machine_translated: false,
      is_verified: true,
      created_at: null,
      updated_at: null,
      metadata: null,
      version: 1,
      last_modified_by: null,
    };
    expect(expectRejected(mapCompletion('translations', translation, { state: 'missing' }, ctx)).code).toBe(
      'PARENT_MISSING',
    );
    expect(expectRejected(mapCompletion('translations', translation, { state: 'rejected' }, ctx)).code).toBe(
      'PARENT_REJECTED',
    );
  });
});
