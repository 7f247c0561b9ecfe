import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifySignedPath } from '../../../adapters/fs-storage/signed-path.ts';
import type { AppError } from '../../../src/domain/errors.ts';
import { ADMIN, OWNER, STRANGER } from '../use-cases/listings/principals.ts';
import { type ImageWorld, image, MiB, openImageWorld, SIGNING_SECRET, STORE_KINDS } from './image-world.ts';

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as AppError,
  );

const KEY = /^listings\/\d+\/[0-9a-f-]{36}\/original\.(jpg|png|webp|avif)$/;

describe.each(STORE_KINDS)('UploadImage on %s', (kind) => {
  let images: ImageWorld;
  beforeAll(async () => {
    images = await openImageWorld(kind);
  });
  afterAll(() => images?.dispose());
  beforeEach(() => images.reset());

  /** The bytes a URL of the row serves: MinIO's presigned URL over HTTP, the fs store's signed path checked here. */
  async function download(url: string): Promise<{ type: string; bytes: Buffer }> {
    if (kind === 'minio') {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      return { type: response.headers.get('content-type') ?? '', bytes: Buffer.from(await response.arrayBuffer()) };
    }
    const parsed = new URL(url, 'http://files.test');
    const check = verifySignedPath(parsed.pathname, parsed.search, SIGNING_SECRET, Date.now());
    if (!check.ok) throw new Error(`bad signed path: ${check.reason}`);
    const object = await images.store.get(check.key);
    const chunks: Buffer[] = [];
    for await (const chunk of object.body) chunks.push(chunk as Buffer);
    return { type: object.contentType, bytes: Buffer.concat(chunks) };
  }

  it('stores a JPEG under a key it makes, with two WebP thumbnails, a row, and an outbox entry', async () => {
    const listing = await images.world.newListing();
    await images.world.reset({ keepRows: true });
    const jpeg = await image('jpeg', 1200, 800);
    const stored = await images.uploader().execute(OWNER, {
      listingId: listing.id,
      body: Readable.from([jpeg.subarray(0, 5), jpeg.subarray(5)]),
      declaredContentType: 'image/jpeg',
      filename: '../../etc/passwd.jpg',
    });
    expect(stored).toMatchObject({
      listingId: listing.id,
      mimeType: 'image/jpeg',
      width: 1200,
      height: 800,
      fileSize: jpeg.length,
      isPrimary: true,
    });
    expect(stored.storageKey).toMatch(KEY);
    expect(stored.storageKey).not.toContain('passwd');
    expect(Object.keys(stored.thumbnails).sort()).toEqual(['medium', 'small']);
    expect(stored.thumbnailUrl).toBe(stored.thumbnails.small);

    const folder = (stored.storageKey as string).replace(/original\.jpg$/, '');
    expect(await images.keys()).toEqual([`${folder}medium.webp`, `${folder}original.jpg`, `${folder}small.webp`]);
    expect(await images.store.stat(stored.storageKey as string)).toMatchObject({ contentType: 'image/jpeg' });

    const original = await download(stored.url);
    expect(original).toEqual({ type: 'image/jpeg', bytes: jpeg });
    const small = await download(stored.thumbnails.small as string);
    expect(small.type).toBe('image/webp');
    expect(await sharp(small.bytes).metadata()).toMatchObject({ format: 'webp', width: 320, height: 213 });
    const medium = await download(stored.thumbnails.medium as string);
    expect(await sharp(medium.bytes).metadata()).toMatchObject({ width: 960, height: 640 });

    expect(await images.world.outbox()).toEqual([{ listing_id: listing.id, operation: 'update', status: 'pending' }]);
    expect(await images.world.imageQueries.list(OWNER, { listingId: listing.id })).toEqual([stored]);
  });

  it('takes PNG, WebP and AVIF from their bytes, not the declared type; later images are not primary', async () => {
    const listing = await images.world.newListing();
    const upload = images.uploader();
    const png = await upload.execute(OWNER, {
      listingId: listing.id,
      body: await image('png', 100, 50),
      declaredContentType: 'image/jpeg',
    });
    const webp = await upload.execute(OWNER, { listingId: listing.id, body: Readable.from([await image('webp')]) });
    const avif = await upload.execute(ADMIN, {
      listingId: listing.id,
      body: Readable.from([await image('avif', 64, 48)]),
    });
    expect([png.mimeType, webp.mimeType, avif.mimeType]).toEqual(['image/png', 'image/webp', 'image/avif']);
    expect(png.storageKey).toMatch(/original\.png$/);
    expect(avif.storageKey).toMatch(/original\.avif$/);
    expect([png.isPrimary, webp.isPrimary, avif.isPrimary]).toEqual([true, false, false]);
    // A small image is not enlarged: both thumbnails keep its 100 × 50 pixels.
    expect(await sharp((await download(png.thumbnails.medium as string)).bytes).metadata()).toMatchObject({
      width: 100,
      height: 50,
    });
    expect([png.displayOrder, webp.displayOrder, avif.displayOrder]).toEqual([0, 1, 2]);
    expect(await images.keys()).toHaveLength(9);
  });

  it('moves the primary flag to an upload that asks for it, and with setPrimary', async () => {
    const listing = await images.world.newListing();
    const upload = images.uploader();
    const first = await upload.execute(OWNER, { listingId: listing.id, body: await image('jpeg', 40, 40) });
    const second = await upload.execute(OWNER, {
      listingId: listing.id,
      body: await image('png', 40, 40),
      isPrimary: true,
    });
    let listed = await images.world.imageQueries.list(OWNER, { listingId: listing.id });
    expect(listed.map((i) => [i.id, i.isPrimary])).toEqual([
      [second.id, true],
      [first.id, false],
    ]);
    await images.world.changeImages.setPrimary(OWNER, { imageId: first.id });
    listed = await images.world.imageQueries.list(OWNER, { listingId: listing.id });
    expect(listed.map((i) => [i.id, i.isPrimary])).toEqual([
      [first.id, true],
      [second.id, false],
    ]);
  });

  it('refuses a text file named .jpg with UNSUPPORTED_MEDIA_TYPE and stores nothing', async () => {
    const listing = await images.world.newListing();
    const error = await caught(
      images.uploader().execute(OWNER, {
        listingId: listing.id,
        body: Readable.from([Buffer.from('I am a text file, honestly a JPEG\n'.repeat(100))]),
        declaredContentType: 'image/jpeg',
        filename: 'photo.jpg',
      }),
    );
    expect(error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', reason: 'images.unsupported_type' });
    expect(await images.keys()).toEqual([]);
    expect(await images.imageRows()).toBe(0);
  });

  it('refuses JPEG magic bytes in front of garbage, removing the original it had stored', async () => {
    const listing = await images.world.newListing();
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(4096)]);
    const error = await caught(
      images.uploader().execute(OWNER, { listingId: listing.id, body: Readable.from([fake]) }),
    );
    expect(error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', reason: 'images.undecodable' });
    expect(await images.keys()).toEqual([]);
    expect(await images.imageRows()).toBe(0);
  });

  it('refuses a body past 10 MiB with PAYLOAD_TOO_LARGE while streaming, and stores nothing', async () => {
    const listing = await images.world.newListing();
    const jpeg = await image('jpeg', 64, 64);
    let produced = 0;
    const body = new Readable({
      read() {
        if (produced === 0) this.push(jpeg);
        else if (produced > 40 * MiB) this.push(null);
        else this.push(randomBytes(MiB));
        produced += produced === 0 ? jpeg.length : MiB;
      },
    });
    const error = await caught(images.uploader().execute(OWNER, { listingId: listing.id, body }));
    expect(error?.code).toBe('PAYLOAD_TOO_LARGE');
    // Stopped at the limit: far less than the 40 MiB on offer was read.
    expect(produced).toBeLessThan(16 * MiB);
    expect(body.destroyed).toBe(true);
    expect(await images.keys()).toEqual([]);
    expect(await images.imageRows()).toBe(0);
  });

  it('fails with the stream error when the upload is cut off, and stores nothing', async () => {
    const listing = await images.world.newListing();
    const jpeg = await image('jpeg', 2000, 1500);
    let sent = false;
    const body = new Readable({
      read() {
        if (!sent) {
          sent = true;
          this.push(jpeg.subarray(0, jpeg.length / 2));
        } else this.destroy(new Error('client aborted the upload'));
      },
    });
    const error = await caught(images.uploader().execute(OWNER, { listingId: listing.id, body }));
    expect(error?.message).toBe('client aborted the upload');
    expect(await images.keys()).toEqual([]);
    expect(await images.imageRows()).toBe(0);
  });

  it('refuses a truncated image (the stream ended early but cleanly) and removes the original', async () => {
    const listing = await images.world.newListing();
    const jpeg = await image('jpeg', 2000, 1500);
    const error = await caught(
      images.uploader().execute(OWNER, { listingId: listing.id, body: jpeg.subarray(0, jpeg.length / 2) }),
    );
    expect(error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', reason: 'images.undecodable' });
    expect(await images.keys()).toEqual([]);
  });

  it('refuses strangers and anonymous callers before reading the body', async () => {
    const listing = await images.world.newListing();
    const body = Readable.from([await image('jpeg', 10, 10)]);
    expect((await caught(images.uploader().execute(STRANGER, { listingId: listing.id, body })))?.code).toBe(
      'PERMISSION_DENIED',
    );
    expect(body.destroyed).toBe(true);
    const anonymous = await caught(
      images.uploader().execute(undefined, { listingId: listing.id, body: Buffer.from('x') }),
    );
    expect(anonymous?.code).toBe('UNAUTHENTICATED');
    const missing = await caught(images.uploader().execute(OWNER, { listingId: 999_999, body: Buffer.from('x') }));
    expect(missing?.code).toBe('LISTING_NOT_FOUND');
    expect(await images.keys()).toEqual([]);
  });

  it('caps the images per listing', async () => {
    const listing = await images.world.newListing();
    const upload = images.uploader({ upload: { maxImagesPerListing: 2 } });
    await upload.execute(OWNER, { listingId: listing.id, body: await image('png', 8, 8) });
    await upload.execute(OWNER, { listingId: listing.id, body: await image('png', 8, 8) });
    const error = await caught(upload.execute(OWNER, { listingId: listing.id, body: await image('png', 8, 8) }));
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      violations: [{ field: 'listing_id', reason: 'too_many' }],
    });
    expect(await images.keys()).toHaveLength(6);
    expect(await images.imageRows()).toBe(2);
  });

  it('refuses an image with an absurd pixel count and removes what it stored', async () => {
    const listing = await images.world.newListing();
    // 5000 × 5000 of one colour compresses to a few KiB of PNG but would decode to 75 MB.
    const bomb = await sharp({ create: { width: 5000, height: 5000, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const error = await caught(
      images.uploader({ processor: { maxPixels: 10_000_000 } }).execute(OWNER, { listingId: listing.id, body: bomb }),
    );
    expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', reason: 'images.too_many_pixels' });
    expect(await images.keys()).toEqual([]);
  });

  it('reports the dimensions as shown, EXIF orientation applied', async () => {
    const listing = await images.world.newListing();
    const sideways = await sharp(await image('jpeg', 400, 200))
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const stored = await images.uploader().execute(OWNER, { listingId: listing.id, body: sideways });
    expect([stored.width, stored.height]).toEqual([200, 400]);
    const small = await download(stored.thumbnails.small as string);
    expect(await sharp(small.bytes).metadata()).toMatchObject({ width: 200, height: 400 });
  });

  it('removes every object it wrote when the metadata transaction fails', async () => {
    const listing = await images.world.newListing();
    images.world.faults.scope = (tx) => ({
      outbox: {
        ...tx.outbox,
        enqueue: async () => {
          throw new Error('outbox down');
        },
      },
    });
    const error = await caught(images.uploader().execute(OWNER, { listingId: listing.id, body: await image('jpeg') }));
    expect(error?.message).toContain('outbox down');
    expect(await images.keys()).toEqual([]);
    expect(await images.imageRows()).toBe(0);
  });

  it('deletes an image with its objects and promotes the next one', async () => {
    const listing = await images.world.newListing();
    const upload = images.uploader();
    const first = await upload.execute(OWNER, { listingId: listing.id, body: await image('jpeg', 30, 30) });
    const second = await upload.execute(OWNER, { listingId: listing.id, body: await image('png', 30, 30) });
    expect(await images.keys()).toHaveLength(6);
    const deleted = await images.deleter().delete(OWNER, { imageId: first.id });
    expect(deleted.id).toBe(first.id);
    const left = await images.keys();
    expect(left).toHaveLength(3);
    expect(left.every((key) => key.startsWith((second.storageKey as string).replace(/original\.png$/, '')))).toBe(true);
    expect((await images.world.imageQueries.list(OWNER, { listingId: listing.id })).map((i) => i.isPrimary)).toEqual([
      true,
    ]);
    expect((await caught(images.deleter().delete(STRANGER, { imageId: second.id })))?.code).toBe('PERMISSION_DENIED');
    expect(await images.keys()).toHaveLength(3);
  });
});
