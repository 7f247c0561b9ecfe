import { describe, expect, it } from 'vitest';
import { mapC2cListing } from '../../../src/monolith-migration/mapping/c2c-listings.ts';
import { md5Hex } from '../../../src/monolith-migration/mapping/canonical-text.ts';
import { sequenceSettings } from '../../../src/monolith-migration/mapping/sequences.ts';
import type { TargetFavoriteRow, TargetListingAttributeRow } from '../../../src/monolith-migration/mapping/types.ts';
import {
  actualChecksumSql,
  bucketOf,
  expectedChecksums,
  keyColumnText,
} from '../../../src/monolith-migration/mapping/verify-keys.ts';
import { c2cListing, c2cRelated, context, expectMapped } from './mapping-support.ts';

describe('sequences (§3.13)', () => {
  const zero = {
    listings: '0',
    storefronts: '0',
    c2c_categories: '0',
    inventory_movements: '0',
    listing_images: '0',
    b2c_product_variants: '0',
  };
  const none = {
    listings: null,
    storefronts: null,
    c2c_categories: null,
    inventory_movements: null,
    listing_images: null,
    b2c_product_variants: null,
  };

  it('moves each sequence past the larger of the target max and the source sequence', () => {
    const settings = sequenceSettings({
      targetMax: { ...zero, listings: '1084', storefronts: '50' },
      source: {
        ...none,
        listings: { lastValue: '1090', isCalled: true },
        storefronts: { lastValue: '44', isCalled: false },
        c2c_categories: { lastValue: '10233', isCalled: true },
      },
    });
    expect(settings.find((s) => s.table === 'listings')).toEqual({
      table: 'listings',
      sequence: 'listings_id_seq',
      value: '1090',
      isCalled: true,
    });
    expect(settings.find((s) => s.table === 'storefronts')?.value).toBe('50');
    expect(settings.find((s) => s.table === 'c2c_categories')?.value).toBe('10233');
  });

  it('treats is_called = false as "last_value not handed out yet"', () => {
    const [listings] = sequenceSettings({
      targetMax: zero,
      source: { ...none, listings: { lastValue: '1076', isCalled: false } },
    });
    expect(listings).toMatchObject({ value: '1075', isCalled: true });
  });

  it('leaves an unused sequence at 1, not called', () => {
    const settings = sequenceSettings({ targetMax: zero, source: none });
    expect(settings).toHaveLength(6);
    expect(settings.every((s) => s.value === '1' && !s.isCalled)).toBe(true);
  });
});

describe('verify key-column text (§4.8)', () => {
  it('joins the listings key columns with U+001F, md5 of the description, NULL as \\N', () => {
    const listing = expectMapped(mapC2cListing(c2cListing(), c2cRelated(), context())).row.listing;
    expect(keyColumnText('listings', listing).split('\u001f')).toEqual([
      '1070',
      '87eae189-69ae-5b3a-9658-edc674afeca8',
      'c2c',
      '5',
      '\\N',
      '10',
      'Телевизор Samsung 55"',
      md5Hex('Očuvan, 📺 radi odlično'),
      '35000.00',
      'RSD',
      'active',
      '1',
      '\\N',
      '12',
      '0',
      '0',
      '2025-10-20T17:38:47.121733Z',
      '2025-10-21T08:00:00.000000Z',
      '2025-10-20T17:38:47.121733Z',
      'false',
    ]);
  });

  it('buckets by 10,000 ids (listing id for favorites and attributes)', () => {
    expect([0, 9_999, 10_000, 1_000_000_011].map(bucketOf)).toEqual([0, 0, 1, 100_000]);
    const favorites: TargetFavoriteRow[] = [
      { user_id: 2, listing_id: 10_001, created_at: 'a' },
      { user_id: 1, listing_id: 10_001, created_at: 'b' },
      { user_id: 9, listing_id: 5, created_at: 'c' },
    ];
    const checksums = expectedChecksums('c2c_favorites', favorites);
    expect([...checksums.keys()]).toEqual([0, 1]);
    expect(checksums.get(1)).toEqual({ rows: 2, md5: md5Hex('1\u001f10001\u001fb\n2\u001f10001\u001fa') });
  });

  it('orders attribute keys by UTF-8 bytes, as COLLATE "C" does', () => {
    const row = (attribute_key: string): TargetListingAttributeRow => ({
      listing_id: 1,
      attribute_key,
      attribute_value: 'v',
      created_at: '',
    });
    // U+FF21 (3 UTF-8 bytes) sorts before U+1F600 (4 bytes) in bytes, after it in UTF-16 code units.
    const ordered = [row('Ａ'), row('😀'), row('a')];
    const text = ['a', 'Ａ', '😀'].map((k) => `1\u001f${k}\u001fv`).join('\n');
    expect(expectedChecksums('listing_attributes', ordered).get(0)?.md5).toBe(md5Hex(text));
  });

  it('writes the actual-side SQL per bucket with the same order', () => {
    expect(actualChecksumSql('listing_attributes', 'listing_id < 5')).toContain(
      'ORDER BY listing_id, attribute_key COLLATE "C"',
    );
  });
});
