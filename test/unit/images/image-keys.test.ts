import { describe, expect, it } from 'vitest';
import { derivativeKey, imageFolder, originalKey, parseImageKey } from '../../../src/images/image-keys.ts';
import { PresignedImageUrls, PublicImageUrls } from '../../../src/images/image-urls.ts';

const UUID = '0b6c2a53-39a4-4c1e-9d3a-6f1d2b9c8e71';

describe('image keys', () => {
  it('builds the folder, original and derivative keys from the listing and a UUID only', () => {
    const folder = imageFolder(42, UUID);
    expect(folder).toBe(`listings/42/${UUID}/`);
    expect(originalKey(folder, 'jpg')).toBe(`listings/42/${UUID}/original.jpg`);
    expect(derivativeKey(folder, 'small', 'webp')).toBe(`listings/42/${UUID}/small.webp`);
  });

  it('parses keys of the layout and nothing else', () => {
    expect(parseImageKey(`listings/42/${UUID}/small.webp`)).toEqual({ listingId: 42, folder: `listings/42/${UUID}/` });
    for (const key of [
      'listings/42/cover.jpg',
      `listings/042/${UUID}/original.jpg`,
      `listings/42/${UUID}/nested/original.jpg`,
      `listings/42/${UUID.toUpperCase()}/original.jpg`,
      `backups/42/${UUID}/original.jpg`,
      `listings/99999999999999999/${UUID}/original.jpg`,
    ]) {
      expect(parseImageKey(key), key).toBeUndefined();
    }
  });
});

describe('image URLs', () => {
  it('joins a public base URL and the percent-encoded key', async () => {
    const urls = new PublicImageUrls('https://cdn.example/listings-images/');
    expect(await urls.urlOf(`listings/1/${UUID}/a b.jpg`)).toBe(
      `https://cdn.example/listings-images/listings/1/${UUID}/a%20b.jpg`,
    );
  });

  it('asks the store for a presigned URL, 7 days by default', async () => {
    const calls: [string, number][] = [];
    const store = {
      presignedGetUrl: async (key: string, ttl: number) => {
        calls.push([key, ttl]);
        return `signed:${key}`;
      },
    };
    expect(await new PresignedImageUrls(store).urlOf('listings/1/x')).toBe('signed:listings/1/x');
    expect(calls).toEqual([['listings/1/x', 604_800]]);
  });
});
