import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_LIMITS, checkAttributes } from '../../../src/domain/attributes.ts';
import {
  becomesPrimary,
  type ListingImage,
  primaryAfterDelete,
  sortImages,
  validateNewImage,
} from '../../../src/domain/image.ts';
import { checkListingLocation, checkLocationPrivacy } from '../../../src/domain/location.ts';
import { checkTags } from '../../../src/domain/tags.ts';
import { Violations } from '../../../src/domain/validation.ts';
import { expectViolation, violationsOf } from './support.ts';

function run<T>(check: (v: Violations) => T): { value: T; fields: string[]; messages: string[] } {
  const v = new Violations();
  const value = check(v);
  return { value, fields: v.items.map((item) => item.field), messages: v.items.map((item) => item.message) };
}

describe('attributes', () => {
  it('accepts a flat object of scalars', () => {
    const result = run((v) => checkAttributes(v, 'attributes', { color: 'red', size: 42, new: true, note: null }));
    expect(result.value).toEqual({ color: 'red', size: 42, new: true, note: null });
    expect(result.fields).toEqual([]);
  });

  it('rejects nesting, arrays, non-objects and oversize values, per key', () => {
    expect(run((v) => checkAttributes(v, 'attributes', { a: { b: 1 }, c: [1] })).fields).toEqual([
      'attributes.a',
      'attributes.c',
    ]);
    expect(run((v) => checkAttributes(v, 'attributes', 'x')).messages).toEqual(['attributes must be a JSON object']);
    expect(run((v) => checkAttributes(v, 'attributes', null)).messages).toEqual(['attributes must be a JSON object']);
    expect(run((v) => checkAttributes(v, 'attributes', { s: 'x'.repeat(1001) })).fields).toEqual(['attributes.s']);
    expect(run((v) => checkAttributes(v, 'attributes', { '': 1 })).fields).toEqual(['attributes.']);
    expect(run((v) => checkAttributes(v, 'attributes', { n: Number.NaN })).fields).toEqual(['attributes.n']);
  });

  it('bounds the number of keys and the total size', () => {
    const many = Object.fromEntries(Array.from({ length: ATTRIBUTE_LIMITS.maxKeys + 1 }, (_, i) => [`k${i}`, i]));
    expect(run((v) => checkAttributes(v, 'attributes', many)).messages).toEqual([
      'attributes must not have more than 100 keys',
    ]);
    const big = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'x'.repeat(1000)]));
    expect(run((v) => checkAttributes(v, 'attributes', big)).messages).toEqual([
      'attributes must not exceed 16384 bytes as JSON',
    ]);
  });
});

describe('tags', () => {
  it('trims, drops duplicates, bounds length and count', () => {
    expect(run((v) => checkTags(v, 'tags', [' vintage ', 'vintage', 'oak'])).value).toEqual(['vintage', 'oak']);
    expect(run((v) => checkTags(v, 'tags', ['ok', ' ', 'x'.repeat(101)])).fields).toEqual(['tags[1]', 'tags[2]']);
    expect(
      run((v) =>
        checkTags(
          v,
          'tags',
          Array.from({ length: 51 }, (_, i) => `t${i}`),
        ),
      ).fields,
    ).toEqual(['tags']);
    expect(run((v) => checkTags(v, 'tags', 'a,b')).fields).toEqual(['tags']);
  });
});

describe('location', () => {
  it('checks latitude and longitude ranges and the pair', () => {
    const result = run((v) => checkListingLocation(v, 'location', { latitude: 91, longitude: -181, city: 'Novi Sad' }));
    expect(result.messages).toEqual([
      'location.latitude must be between -90 and 90',
      'location.longitude must be between -180 and 180',
    ]);
    expect(run((v) => checkListingLocation(v, 'location', { longitude: 19.8 })).fields).toEqual(['location.latitude']);
    expect(run((v) => checkListingLocation(v, 'location', { latitude: -90, longitude: 180 })).fields).toEqual([]);
  });

  it('knows the three privacy levels', () => {
    expect(run((v) => checkLocationPrivacy(v, 'location_privacy', 'approximate')).value).toBe('approximate');
    expect(run((v) => checkLocationPrivacy(v, 'location_privacy', 'public')).messages).toEqual([
      'location_privacy must be one of: exact, approximate, hidden',
    ]);
  });
});

describe('images', () => {
  it('requires a url and accepts jpeg, png, webp and avif only', () => {
    expectViolation(() => validateNewImage({ listingId: 1, url: ' ' }), 'url', 'url is required');
    expect(validateNewImage({ listingId: 1, url: 'https://x/a.avif', mimeType: 'image/AVIF' }).mimeType).toBe(
      'image/avif',
    );
    expectViolation(
      () => validateNewImage({ listingId: 1, url: 'https://x/a.gif', mimeType: 'image/gif' }),
      'mime_type',
      'mime_type must be one of: image/jpeg, image/png, image/webp, image/avif',
    );
    expect(
      violationsOf(() => validateNewImage({ listingId: 0, url: '', width: 0, fileSize: -1 })).map((v) => v.field),
    ).toEqual(['listing_id', 'url', 'width', 'file_size']);
  });

  const image = (id: number, isPrimary: boolean, displayOrder: number) =>
    ({ id, isPrimary, displayOrder }) as Pick<ListingImage, 'id' | 'isPrimary' | 'displayOrder'>;

  it('orders primary first, then display order, then id', () => {
    const sorted = sortImages([image(5, false, 1), image(3, false, 1), image(9, true, 7), image(1, false, 0)]);
    expect(sorted.map((i) => i.id)).toEqual([9, 1, 3, 5]);
  });

  it('makes the first image primary and promotes the next one when the primary goes', () => {
    expect(becomesPrimary(false, [])).toBe(true);
    expect(becomesPrimary(false, [image(1, true, 0)])).toBe(false);
    expect(becomesPrimary(true, [image(1, true, 0)])).toBe(true);
    const images = [image(1, true, 0), image(2, false, 2), image(3, false, 1)];
    expect(primaryAfterDelete(images[0]!, images)).toBe(3);
    expect(primaryAfterDelete(images[1]!, images)).toBeNull();
    expect(primaryAfterDelete(images[0]!, [images[0]!])).toBeNull();
  });
});
