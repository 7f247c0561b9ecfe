import { describe, expect, it } from 'vitest';
import { mapB2cProductImages, mapC2cImages } from '../../../src/monolith-migration/mapping/images.ts';
import type { MappingResult, TargetListingImageRow } from '../../../src/monolith-migration/mapping/types.ts';
import { b2cImage, c2cImage, context, expectMapped, MIGRATED_PARENT } from './mapping-support.ts';

const ctx = context();

/** [source id, display_order, is_primary] per image, in target order. */
function placement(results: MappingResult<TargetListingImageRow>[]): [number, number, boolean][] {
  return results
    .map((r) => expectMapped(r))
    .map((m) => [Number(m.sourceKey), m.row.display_order, m.row.is_primary] as [number, number, boolean])
    .sort((a, b) => a[1] - b[1]);
}

describe('c2c_images → listing_images (§3.9)', () => {
  it('maps the columns: url from public_url, storage_path, size, mime, both times from created_at', () => {
    const [result] = mapC2cImages([c2cImage({ is_main: true })], MIGRATED_PARENT, ctx);
    const mapped = expectMapped(result as MappingResult<TargetListingImageRow>);
    expect(mapped.row).toEqual({
      id: 1,
      listing_id: 1070,
      url: 'https://cdn.example/listings/1070/a.jpg',
      storage_path: 'listings/1070/a.jpg',
      thumbnail_url: null,
      display_order: 0,
      is_primary: true,
      width: null,
      height: null,
      file_size: 123_456,
      mime_type: 'image/jpeg',
      created_at: '2025-10-20T17:40:00.000000Z',
      updated_at: '2025-10-20T17:40:00.000000Z',
    });
    expect(JSON.parse(mapped.extras ?? '{}')).toEqual({
      file_name: 'a.jpg',
      storage_type: 'minio',
      storage_bucket: 'listings',
      display_order: 0,
      is_main: true,
    });
  });

  it('falls back to file_path when public_url is NULL or empty (local storage, Q13)', () => {
    const [result] = mapC2cImages([c2cImage({ public_url: '' })], MIGRATED_PARENT, ctx);
    expect(expectMapped(result as MappingResult<TargetListingImageRow>).row.url).toBe('listings/1070/a.jpg');
  });

  it('orders by (display_order, is_main DESC NULLS LAST, created_at, id) and renumbers densely from 0', () => {
    const rows = [
      c2cImage({ id: 10, display_order: 2, is_main: false, created_at: '2025-11-01 10:00:00' }),
      c2cImage({ id: 11, display_order: 0, is_main: null, created_at: '2025-11-02 10:00:00' }),
      c2cImage({ id: 12, display_order: 0, is_main: true, created_at: '2025-11-03 10:00:00' }),
      c2cImage({ id: 13, display_order: 0, is_main: false, created_at: '2025-11-01 09:00:00' }),
      c2cImage({ id: 14, display_order: null, is_main: false, created_at: '2025-10-01 09:00:00' }),
    ];
    expect(placement(mapC2cImages(rows, MIGRATED_PARENT, ctx))).toEqual([
      [12, 0, true],
      [13, 1, false],
      [11, 2, false],
      [10, 3, false],
      [14, 4, false],
    ]);
  });

  it('orders by (is_main DESC NULLS LAST, id) for the shape without display_order', () => {
    const rows = [3, 1, 2].map((id) => {
      const { display_order: _, ...rest } = c2cImage({ id, is_main: id === 2 });
      return rest;
    });
    expect(placement(mapC2cImages(rows, MIGRATED_PARENT, ctx))).toEqual([
      [2, 0, true],
      [1, 1, false],
      [3, 2, false],
    ]);
  });

  it('makes the first image primary when none is flagged and clears extra flags', () => {
    const none = [c2cImage({ id: 1 }), c2cImage({ id: 2, display_order: 1 })];
    expect(placement(mapC2cImages(none, MIGRATED_PARENT, ctx))).toEqual([
      [1, 0, true],
      [2, 1, false],
    ]);
    const several = [c2cImage({ id: 1, is_main: true }), c2cImage({ id: 2, display_order: 1, is_main: true })];
    const results = mapC2cImages(several, MIGRATED_PARENT, ctx);
    expect(placement(results)).toEqual([
      [1, 0, true],
      [2, 1, false],
    ]);
    expect(expectMapped(results[1] as MappingResult<TargetListingImageRow>).repairs.map((r) => r.code)).toEqual([
      'EXTRA_PRIMARY_CLEARED',
    ]);
  });

  it('counts a listing whose 1-based or duplicate order was renumbered once, not per image', () => {
    const rows = [1, 2, 3].map((id) => c2cImage({ id, display_order: id }));
    const codes = mapC2cImages(rows, MIGRATED_PARENT, ctx).flatMap((r) => (r.kind === 'mapped' ? r.repairs : []));
    expect(codes.filter((c) => c.code === 'IMAGE_ORDER_RENUMBERED')).toEqual([
      { code: 'IMAGE_ORDER_RENUMBERED', field: 'display_order', raw: '1,2,3' },
    ]);
    const clean = [0, 1].map((order) => c2cImage({ id: order + 1, display_order: order, is_main: order === 0 }));
    expect(mapC2cImages(clean, MIGRATED_PARENT, ctx).flatMap((r) => (r.kind === 'mapped' ? r.repairs : []))).toEqual(
      [],
    );
  });

  it('gives a rejected image (no location) no position', () => {
    const rows = [c2cImage({ id: 1, public_url: null, file_path: '' }), c2cImage({ id: 2, display_order: 1 })];
    const results = mapC2cImages(rows, MIGRATED_PARENT, ctx);
    expect(results.map((r) => r.kind)).toEqual(['rejected', 'mapped']);
    expect(expectMapped(results[1] as MappingResult<TargetListingImageRow>).row).toMatchObject({
      display_order: 0,
      is_primary: true,
    });
  });

  it('rejects the images of a missing or rejected listing', () => {
    expect(mapC2cImages([c2cImage()], { state: 'missing' }, ctx)[0]).toMatchObject({ code: 'PARENT_MISSING' });
    expect(mapC2cImages([c2cImage()], { state: 'rejected', id: 1070 }, ctx)[0]).toMatchObject({
      code: 'PARENT_REJECTED',
    });
  });

  it('falls back to the listing creation time for a NULL image created_at', () => {
    const [result] = mapC2cImages([c2cImage({ created_at: null })], MIGRATED_PARENT, ctx);
    expect(expectMapped(result as MappingResult<TargetListingImageRow>).row.created_at).toBe(MIGRATED_PARENT.createdAt);
  });

  it('puts the sibling-dependent placement into each image hash', () => {
    const alone = expectMapped(
      mapC2cImages([c2cImage({ id: 2 })], MIGRATED_PARENT, ctx)[0] as MappingResult<TargetListingImageRow>,
    );
    const second = expectMapped(
      mapC2cImages(
        [c2cImage({ id: 1 }), c2cImage({ id: 2 })],
        MIGRATED_PARENT,
        ctx,
      )[1] as MappingResult<TargetListingImageRow>,
    );
    expect(second.hash).not.toBe(alone.hash);
  });
});

describe('b2c_product_images → listing_images (§3.9)', () => {
  it('offsets the id, keeps url and thumbnail, no path/size/mime', () => {
    const [result] = mapB2cProductImages([b2cImage({ id: 11, is_default: true })], MIGRATED_PARENT, ctx);
    const mapped = expectMapped(result as MappingResult<TargetListingImageRow>);
    expect(mapped.row).toMatchObject({
      id: 1_000_000_011,
      listing_id: 1070,
      url: 'https://cdn.example/p/1.jpg',
      thumbnail_url: 'https://cdn.example/p/1_t.jpg',
      storage_path: null,
      file_size: null,
      mime_type: null,
      is_primary: true,
      created_at: '2025-10-22T09:16:00.000000Z',
    });
    expect(mapped.sourceKey).toBe('11');
    expect(JSON.parse(mapped.extras ?? '{}')).toEqual({ display_order: 0, is_default: true });
  });

  it('orders by (is_default DESC, display_order, id)', () => {
    const rows = [
      b2cImage({ id: 1, display_order: 0 }),
      b2cImage({ id: 2, display_order: 5, is_default: true }),
      b2cImage({ id: 3, display_order: 0 }),
    ];
    expect(placement(mapB2cProductImages(rows, MIGRATED_PARENT, ctx))).toEqual([
      [2, 0, true],
      [1, 1, false],
      [3, 2, false],
    ]);
  });

  it('stops the run when an offset id would overflow integer (precondition, exit 4)', () => {
    expect(() => mapB2cProductImages([b2cImage({ id: 1_147_483_648 })], MIGRATED_PARENT, ctx)).toThrow(
      expect.objectContaining({ code: 'PRECONDITION_FAILED', reason: 'SECONDARY_ID_OVERFLOW' }),
    );
    expect(
      expectMapped(
        mapB2cProductImages(
          [b2cImage({ id: 1_147_483_647 })],
          MIGRATED_PARENT,
          ctx,
        )[0] as MappingResult<TargetListingImageRow>,
      ).row.id,
    ).toBe(2_147_483_647);
  });
});
