import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { form, type HttpImageWorld, openHttpImageWorld } from './http-world.ts';
import { image, MiB, STORE_KINDS } from './image-world.ts';

interface ImageJson {
  id: number;
  url: string;
  thumbnail_url: string;
  thumbnails: Record<string, string>;
  mime_type: string;
  width: number;
  height: number;
  file_size: number;
  is_primary: boolean;
  storage_key?: string;
}

async function* repeated(chunk: Buffer, totalBytes: number): AsyncGenerator<Buffer> {
  for (let sent = 0; sent < totalBytes; sent += chunk.length) yield chunk;
}

describe.each(STORE_KINDS)('image REST routes on %s', (kind) => {
  let http: HttpImageWorld;
  let host: Server;
  let hostUrl: string;
  let png: Buffer;

  beforeAll(async () => {
    http = await openHttpImageWorld(kind);
    png = await image('png', 200, 100);
    host = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(png);
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/photo.png`;
  });
  afterAll(async () => {
    await new Promise((resolve) => host?.close(resolve));
    await http?.dispose();
  });
  beforeEach(() => http.reset());

  /** GETs a URL from the API: MinIO's presigned URL over the network, the fs store's `/files/…` through the app. */
  async function download(url: string): Promise<{ status: number; type: string | undefined; bytes: Buffer }> {
    if (url.startsWith('/files/')) {
      const response = await http.request({ method: 'GET', url });
      return {
        status: response.statusCode,
        type: response.headers['content-type'] as string,
        bytes: response.rawPayload,
      };
    }
    const response = await fetch(url);
    const bytes = Buffer.from(await response.arrayBuffer());
    return { status: response.status, type: response.headers.get('content-type') ?? undefined, bytes };
  }

  it('uploads a multipart file: 201 with URLs that serve the bytes and thumbnails', async () => {
    const listing = await http.world.newListing();
    const jpeg = await image('jpeg', 1000, 500);
    const response = await http.upload(
      listing.id,
      form([{ name: 'file', filename: 'holiday.jpg', contentType: 'application/octet-stream', data: jpeg }]),
    );
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json() as ImageJson;
    expect(body).toMatchObject({
      mime_type: 'image/jpeg',
      width: 1000,
      height: 500,
      file_size: jpeg.length,
      is_primary: true,
    });
    expect(body.storage_key).toBeUndefined();
    expect(body.thumbnail_url).toBe(body.thumbnails.small);
    expect(response.headers['x-served-by']).toBe('microservice');

    expect(await download(body.url)).toEqual({ status: 200, type: 'image/jpeg', bytes: jpeg });
    const medium = await download(body.thumbnails.medium as string);
    expect(medium.type).toBe('image/webp');
    expect(await sharp(medium.bytes).metadata()).toMatchObject({ width: 960, height: 480 });

    const listed = await http.request({ method: 'GET', url: `/api/v1/listings/${listing.id}/images`, as: 'owner' });
    expect((listed.json() as { images: ImageJson[] }).images.map((i) => i.id)).toEqual([body.id]);
  });

  it('makes a later upload primary with an is_primary field before the file', async () => {
    const listing = await http.world.newListing();
    await http.upload(listing.id, form([{ name: 'file', filename: 'a.png', data: await image('png', 20, 20) }]));
    const second = await http.upload(
      listing.id,
      form([
        { name: 'is_primary', data: 'true' },
        { name: 'file', filename: 'b.png', data: await image('png', 20, 20) },
      ]),
    );
    expect(second.statusCode).toBe(201);
    const listed = await http.request({ method: 'GET', url: `/api/v1/listings/${listing.id}/images`, as: 'owner' });
    const images = (listed.json() as { images: ImageJson[] }).images;
    expect(images.map((i) => [i.id, i.is_primary])).toEqual([
      [(second.json() as ImageJson).id, true],
      [images[1]?.id, false],
    ]);
  });

  it('answers 415 for a text file named .jpg, and stores nothing', async () => {
    const listing = await http.world.newListing();
    const response = await http.upload(
      listing.id,
      form([{ name: 'file', filename: 'photo.jpg', contentType: 'image/jpeg', data: 'hello, I am text\n'.repeat(50) }]),
    );
    expect(response.statusCode).toBe(415);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(await http.keys()).toEqual([]);
    expect(await http.world.count('listing_images')).toBe(0);
  });

  it('answers 413 for a file past 10 MiB, streamed, and stores nothing', async () => {
    const listing = await http.world.newListing();
    const head = await image('jpeg', 16, 16);
    async function* huge(): AsyncGenerator<Buffer> {
      yield head;
      yield* repeated(Buffer.alloc(MiB, 7), 12 * MiB);
    }
    const response = await http.upload(listing.id, form([{ name: 'file', filename: 'big.jpg', data: huge() }]));
    expect(response.statusCode, response.body).toBe(413);
    expect(response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(await http.keys()).toEqual([]);
    expect(await http.world.count('listing_images')).toBe(0);
  });

  it('accepts a file of exactly the limit', async () => {
    const listing = await http.world.newListing();
    // A PNG padded with trailing bytes up to exactly 10 MiB still decodes.
    const small = await image('png', 16, 16);
    const exact = Buffer.concat([small, Buffer.alloc(10 * MiB - small.length)]);
    const response = await http.upload(listing.id, form([{ name: 'file', filename: 'exact.png', data: exact }]));
    expect(response.statusCode, response.body).toBe(201);
    expect((response.json() as ImageJson).file_size).toBe(10 * MiB);
  });

  it('answers 400 for a form cut off in the middle of the file, and stores nothing', async () => {
    const listing = await http.world.newListing();
    const jpeg = await image('jpeg', 800, 600);
    const response = await http.upload(
      listing.id,
      form([{ name: 'file', filename: 'cut.jpg', data: jpeg.subarray(0, jpeg.length / 2) }], { truncate: true }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await http.keys()).toEqual([]);
  });

  it('answers 401 without a token and 403 to a stranger, storing nothing', async () => {
    const listing = await http.world.newListing();
    const data = await image('png', 10, 10);
    expect((await http.upload(listing.id, form([{ name: 'file', filename: 'a.png', data }]), null)).statusCode).toBe(
      401,
    );
    const stranger = await http.upload(listing.id, form([{ name: 'file', filename: 'a.png', data }]), 'stranger');
    expect(stranger.statusCode).toBe(403);
    expect(stranger.headers['content-type']).toContain('application/problem+json');
    expect(await http.keys()).toEqual([]);
  });

  it('answers 400 for a form without a file, and 415 for a body that is neither form nor JSON', async () => {
    const listing = await http.world.newListing();
    const empty = await http.upload(listing.id, form([{ name: 'is_primary', data: 'true' }]));
    expect(empty.statusCode).toBe(400);
    const text = await http.request({
      method: 'POST',
      url: `/api/v1/listings/${listing.id}/images`,
      as: 'owner',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(415);
  });

  it('imports from a URL given as JSON; refuses a private address and unknown fields', async () => {
    const listing = await http.world.newListing();
    const url = `/api/v1/listings/${listing.id}/images`;
    const imported = await http.request({ method: 'POST', url, as: 'owner', payload: { url: hostUrl } });
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json()).toMatchObject({ mime_type: 'image/png', width: 200, height: 100 });

    const metadata = await http.request({
      method: 'POST',
      url,
      as: 'owner',
      payload: { url: 'http://169.254.169.254/latest/meta-data/' },
    });
    expect(metadata.statusCode).toBe(400);
    expect(metadata.json()).toMatchObject({ violations: [{ field: 'url', reason: 'address_not_allowed' }] });
    const extra = await http.request({ method: 'POST', url, as: 'owner', payload: { url: hostUrl, size: 1 } });
    expect(extra.statusCode).toBe(400);
    expect(await http.keys()).toHaveLength(3);
  });

  it('deletes an image and its objects through DELETE', async () => {
    const listing = await http.world.newListing();
    const uploaded = await http.upload(listing.id, form([{ name: 'file', filename: 'a.png', data: png }]));
    const { id } = uploaded.json() as ImageJson;
    expect(await http.keys()).toHaveLength(3);
    const deleted = await http.request({
      method: 'DELETE',
      url: `/api/v1/listings/${listing.id}/images/${id}`,
      as: 'owner',
    });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect(await http.keys()).toEqual([]);
  });

  if (kind === 'fs') {
    it('serves /files only for a valid, unexpired signature', async () => {
      const listing = await http.world.newListing();
      const uploaded = await http.upload(listing.id, form([{ name: 'file', filename: 'a.png', data: png }]));
      const { url } = uploaded.json() as ImageJson;
      expect(url).toMatch(/^\/files\/listings\/\d+\/[0-9a-f-]{36}\/original\.png\?expires=\d+&signature=/);

      const ok = await http.request({ method: 'GET', url, headers: { authorization: 'Bearer stale-token' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers).toMatchObject({ 'content-type': 'image/png', 'content-length': String(png.length) });
      expect(ok.headers['cross-origin-resource-policy']).toBe('cross-origin');
      const head = await http.request({ method: 'HEAD', url });
      expect(head.statusCode).toBe(200);
      expect(head.headers['content-length']).toBe(String(png.length));
      const cached = await http.request({
        method: 'GET',
        url,
        headers: { 'if-none-match': ok.headers.etag as string },
      });
      expect(cached.statusCode).toBe(304);

      const tampered = await http.request({ method: 'GET', url: url.replace('original.png', 'small.webp') });
      expect(tampered.statusCode).toBe(403);
      expect(tampered.json()).toMatchObject({ code: 'PERMISSION_DENIED' });
      const badSignature = await http.request({ method: 'GET', url: url.replace(/signature=.../, 'signature=AAA') });
      expect(badSignature.statusCode).toBe(403);

      http.skewMs = 2 * 3600 * 1000;
      const expired = await http.request({ method: 'GET', url });
      expect(expired.statusCode).toBe(403);
      expect(expired.json()).toMatchObject({ detail: 'the link has expired' });
      http.skewMs = 0;

      expect((await http.request({ method: 'GET', url: '/files/listings/1/x.png' })).statusCode).toBe(404);
      await http.store.delete(await http.keys());
      const gone = await http.request({ method: 'GET', url });
      expect(gone.statusCode).toBe(404);
      expect(gone.json()).toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    });
  }
});
