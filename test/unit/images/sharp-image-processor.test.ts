import { Readable } from 'node:stream';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SharpImageProcessor } from '../../../adapters/sharp/sharp-image-processor.ts';

const SPECS = [
  { name: 'small', width: 320, format: 'webp' },
  { name: 'medium', width: 960, format: 'webp' },
] as const;

function jpeg(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#336699' } })
    .jpeg()
    .toBuffer();
}

describe('SharpImageProcessor', () => {
  it('probes the dimensions and makes WebP derivatives, never enlarging', async () => {
    const processed = await new SharpImageProcessor().process(Readable.from([await jpeg(640, 480)]), {
      derivatives: SPECS,
    });
    expect(processed).toMatchObject({ width: 640, height: 480, format: 'jpeg' });
    expect(processed.derivatives.map((d) => [d.name, d.width, d.height, d.contentType])).toEqual([
      ['small', 320, 240, 'image/webp'],
      ['medium', 640, 480, 'image/webp'],
    ]);
    expect((await sharp(Buffer.from(processed.derivatives[0]?.bytes ?? [])).metadata()).format).toBe('webp');
  });

  it('strips EXIF from derivatives', async () => {
    const tagged = await sharp(await jpeg(100, 100))
      .withExif({ IFD0: { Copyright: 'someone', Artist: 'someone' } })
      .jpeg()
      .toBuffer();
    expect((await sharp(tagged).metadata()).exif).toBeDefined();
    const processed = await new SharpImageProcessor().process(Readable.from([tagged]), { derivatives: SPECS });
    expect((await sharp(Buffer.from(processed.derivatives[0]?.bytes ?? [])).metadata()).exif).toBeUndefined();
  });

  it('refuses an input past its byte limit and a decompression bomb', async () => {
    const processor = new SharpImageProcessor({ maxInputBytes: 100, maxPixels: 1000 });
    await expect(processor.process(Readable.from([await jpeg(100, 100)]), { derivatives: [] })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
    const bomb = new SharpImageProcessor({ maxPixels: 1000 });
    await expect(bomb.process(Readable.from([await jpeg(100, 100)]), { derivatives: SPECS })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      reason: 'images.too_many_pixels',
    });
  });

  it('refuses bytes that do not decode, without libvips text in the message', async () => {
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);
    const error = await new SharpImageProcessor()
      .process(Readable.from([fake]), { derivatives: SPECS })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      reason: 'images.undecodable',
      message: 'the file could not be decoded as an image',
    });
  });

  it('processes a burst of images a few at a time, all of them', async () => {
    const processor = new SharpImageProcessor({ maxConcurrent: 1 });
    const image = await jpeg(200, 100);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => processor.process(Readable.from([image]), { derivatives: SPECS })),
    );
    expect(results.map((r) => r.width)).toEqual([200, 200, 200, 200, 200, 200]);
  });
});
