/**
 * Properties over generated monolith rows with every quirk of §1.9 mixed in: the mapping never throws, rejects only
 * with catalogued codes, and every mapped row satisfies the target's constraints (migrations/…003, …004), so a
 * COPY of the write set cannot fail on a CHECK. Mapping twice gives byte-identical results.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapC2cListing } from '../../../src/monolith-migration/mapping/c2c-listings.ts';
import { NOTICE_CODES, REJECT_CODES, REPAIR_CODES } from '../../../src/monolith-migration/mapping/codes.ts';
import { mapC2cImages } from '../../../src/monolith-migration/mapping/images.ts';
import { characterLength } from '../../../src/monolith-migration/mapping/listing-rules.ts';
import { trimSpaces } from '../../../src/monolith-migration/mapping/status-map.ts';
import type { MappingResult, SourceC2cImageRow } from '../../../src/monolith-migration/mapping/types.ts';
import { c2cImage, c2cListing, c2cRelated, context, MIGRATED_PARENT } from './mapping-support.ts';

const ctx = context({ sourceZone: 'Europe/Belgrade' });
const UTC_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const naive = fc
  .record({
    y: fc.integer({ min: 2000, max: 2030 }),
    mo: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
    h: fc.integer({ min: 0, max: 23 }),
    mi: fc.constantFrom(0, 30, 59),
    us: fc.integer({ min: 0, max: 999_999 }),
  })
  .map(({ y, mo, d, h, mi, us }) => {
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${y}-${p(mo)}-${p(d)} ${p(h)}:${p(mi)}:07${us === 0 ? '' : `.${p(us, 6).replace(/0+$/, '')}`}`;
  });
const decimal = (min: number, max: number, scale: number) =>
  fc.tuple(fc.integer({ min, max }), fc.integer({ min: 0, max: 10 ** scale - 1 })).map(([i, f]) => {
    const sign = i < 0 || (i === 0 && f % 2 === 1) ? '-' : '';
    return `${sign}${Math.abs(i)}.${String(f).padStart(scale, '0')}`;
  });
const title = fc.oneof(
  fc.constantFrom('', ' ', 'TV', '  a  ', '\t\t\t', '📺', 'Ж'.repeat(255), 'Телевизор', 'Bicikl 🚲 nov'),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);
const status = fc.constantFrom(
  'active',
  'inactive',
  'draft',
  'sold',
  'archived',
  'pending',
  'deleted',
  null,
  '',
  ' Active ',
  'weird',
);
const jsonText = fc.oneof(
  fc.constant(null),
  fc.constantFrom(
    '{"currency": "eur"}',
    '{"currency": 5}',
    '{"currency": null}',
    'null',
    '[]',
    '{"ключ": "😀", "n": 1.50}',
  ),
  fc.json(),
);
const multilingual = fc.oneof(
  fc.constant(null),
  fc
    .record({
      city_sr: fc.string(),
      country_en: fc.string({ maxLength: 120 }),
      postal_code: fc.string({ maxLength: 25 }),
    })
    .map((o) => JSON.stringify(o)),
);

const c2cRow = fc
  .record({
    id: fc.integer({ min: 1, max: 2_000_000 }),
    user_id: fc.option(fc.integer({ min: -2, max: 1000 })),
    category_id: fc.option(fc.constantFrom(10, 11, 999)),
    title,
    price: fc.option(fc.oneof(decimal(-5, 9_999_999_999, 2), fc.constantFrom('0.00', '0.01'))),
    status,
    created_at: fc.option(naive),
    updated_at: fc.option(naive),
    metadata: jsonText,
    address_multilingual: multilingual,
    latitude: fc.option(decimal(-99, 99, 8)),
    longitude: fc.option(decimal(-999, 999, 8)),
    views_count: fc.option(fc.integer({ min: 0, max: 10_000 })),
    storefront_id: fc.option(fc.constant(43)),
    condition: fc.option(fc.constantFrom('new', 'used', '')),
  })
  .map((overrides) => c2cListing(overrides));

function codesAreCatalogued(result: MappingResult<unknown>): void {
  if (result.kind === 'rejected') {
    expect(Object.keys(REJECT_CODES)).toContain(result.code);
    return;
  }
  for (const repair of result.repairs) expect(Object.keys(REPAIR_CODES)).toContain(repair.code);
  for (const notice of result.notices) expect(Object.keys(NOTICE_CODES)).toContain(notice.code);
}

describe('C2C listings over generated quirky rows', () => {
  it('map to rows the target accepts, or reject with a catalogued code, deterministically', () => {
    fc.assert(
      fc.property(c2cRow, (row) => {
        const result = mapC2cListing(row, c2cRelated(), ctx);
        expect(JSON.stringify(mapC2cListing(row, c2cRelated(), ctx))).toBe(JSON.stringify(result));
        codesAreCatalogued(result);
        if (result.kind === 'rejected') return;
        const { listing, location } = result.row;
        expect(listing.user_id).toBeGreaterThan(0);
        expect(characterLength(trimSpaces(listing.title))).toBeGreaterThanOrEqual(3);
        expect(characterLength(listing.title)).toBeLessThanOrEqual(255);
        expect(listing.price).toMatch(/^\d{1,13}\.\d{2}$/);
        expect(Number(listing.price)).toBeGreaterThan(0);
        expect(listing.currency).toMatch(/^[A-Z]{3}$/);
        expect(['draft', 'active', 'inactive', 'sold', 'archived']).toContain(listing.status);
        expect(listing.storefront_id).toBeNull();
        expect(listing.is_deleted).toBe(listing.deleted_at !== null);
        expect(listing.published_at === null || listing.status === 'active').toBe(true);
        for (const time of [listing.created_at, listing.updated_at]) expect(time).toMatch(UTC_TEXT);
        expect(listing.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(typeof (JSON.parse(listing.attributes) as { _monolith: unknown })._monolith).toBe('object');
        if (location !== null) {
          expect(characterLength(location.country ?? '')).toBeLessThanOrEqual(100);
          expect(characterLength(location.city ?? '')).toBeLessThanOrEqual(100);
          expect(characterLength(location.postal_code ?? '')).toBeLessThanOrEqual(20);
        }
      }),
      { numRuns: 2000, seed: 20251110 },
    );
  });
});

const imageRow = fc
  .record({
    id: fc.integer({ min: 1, max: 1_000_000 }),
    display_order: fc.option(fc.integer({ min: 0, max: 4 })),
    is_main: fc.option(fc.boolean()),
    public_url: fc.option(fc.constantFrom('', 'https://cdn.example/x.jpg')),
    file_path: fc.constantFrom('', 'listings/x.jpg'),
    created_at: fc.option(naive),
  })
  .map((overrides) => c2cImage(overrides));

describe('images of one listing over generated groups', () => {
  it('get dense positions 0..n-1 and exactly one primary among the migrated ones', () => {
    fc.assert(
      fc.property(fc.uniqueArray(imageRow, { selector: (r: SourceC2cImageRow) => r.id, maxLength: 8 }), (rows) => {
        const results = mapC2cImages(rows, MIGRATED_PARENT, ctx);
        expect(results).toHaveLength(rows.length);
        results.forEach(codesAreCatalogued);
        const placed = results.flatMap((r) => (r.kind === 'mapped' ? [r.row] : []));
        expect(placed.map((r) => r.display_order).sort((a, b) => a - b)).toEqual(placed.map((_, i) => i));
        expect(placed.filter((r) => r.is_primary)).toHaveLength(placed.length === 0 ? 0 : 1);
        for (const r of placed) expect(r.url).not.toBe('');
      }),
      { numRuns: 1000, seed: 20251109 },
    );
  });
});
