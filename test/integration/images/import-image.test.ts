import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../../src/domain/errors.ts';
import { OWNER, STRANGER } from '../use-cases/listings/principals.ts';
import { type ImageWorld, image, MiB, openImageWorld, STORE_KINDS } from './image-world.ts';

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as AppError,
  );

/** A local image host: `/photo.png`, redirects, a text file, a huge and a slow body. Counts its requests. */
async function startImageHost(): Promise<{ base: string; requests: string[]; server: Server }> {
  const png = await image('png', 300, 200);
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push(path);
    const hops = /^\/hop\/(\d+)$/.exec(path);
    if (path === '/photo.png') {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': png.length });
      response.end(png);
    } else if (hops) {
      const left = Number(hops[1]);
      response.writeHead(302, { location: left === 0 ? '/photo.png' : `/hop/${left - 1}` });
      response.end();
    } else if (path === '/to-metadata') {
      response.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' });
      response.end();
    } else if (path === '/notes.jpg') {
      response.writeHead(200, { 'content-type': 'image/jpeg' });
      response.end('not an image at all, just words');
    } else if (path === '/declared-huge.jpg') {
      response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': 50 * MiB });
      response.end();
    } else if (path === '/endless.jpg') {
      // Chunked, no length: only streaming can stop it.
      response.writeHead(200, { 'content-type': 'image/jpeg' });
      response.write(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]));
      const pump = () => {
        while (!response.destroyed && response.write(randomBytes(256 * 1024)));
        if (!response.destroyed) response.once('drain', pump);
      };
      pump();
    } else if (path === '/slow.png') {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.write(png.subarray(0, 100));
      // Never finishes.
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, requests, server };
}

describe.each(STORE_KINDS)('ImportImage on %s', (kind) => {
  let images: ImageWorld;
  let host: Awaited<ReturnType<typeof startImageHost>>;
  const allowLocal = { fetcher: { allow: ['127.0.0.1'] } };

  beforeAll(async () => {
    images = await openImageWorld(kind);
    host = await startImageHost();
  });
  afterAll(async () => {
    host?.server.closeAllConnections();
    await new Promise((resolve) => host?.server.close(resolve));
    await images?.dispose();
  });
  beforeEach(async () => {
    await images.reset();
    host.requests.length = 0;
  });

  async function expectNothingStored(): Promise<void> {
    expect(await images.keys()).toEqual([]);
    expect(await images.imageRows()).toBe(0);
  }

  it('imports from an allowlisted local server, following redirects, typed by the bytes', async () => {
    const listing = await images.world.newListing();
    const stored = await images
      .importer(allowLocal)
      .execute(OWNER, { listingId: listing.id, url: `${host.base}/hop/2` });
    expect(stored).toMatchObject({ mimeType: 'image/png', width: 300, height: 200, isPrimary: true });
    expect(stored.storageKey).toMatch(/^listings\/\d+\/[0-9a-f-]{36}\/original\.png$/);
    expect(await images.keys()).toHaveLength(3);
    expect(host.requests).toEqual(['/hop/2', '/hop/1', '/hop/0', '/photo.png']);
  });

  it('refuses a fourth redirect', async () => {
    const listing = await images.world.newListing();
    const error = await caught(
      images.importer(allowLocal).execute(OWNER, { listingId: listing.id, url: `${host.base}/hop/3` }),
    );
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', violations: [{ reason: 'too_many_redirects' }] });
    await expectNothingStored();
  });

  it('refuses loopback and private addresses without an allowlist, before connecting', async () => {
    const listing = await images.world.newListing();
    const importer = images.importer();
    for (const url of [
      `${host.base}/photo.png`,
      host.base.replace('127.0.0.1', 'localhost'),
      'http://10.0.0.1/a.png',
      'http://192.168.1.10/a.png',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/a.png',
      'http://[::ffff:127.0.0.1]/a.png',
      'http://0.0.0.0/a.png',
      'http://2130706433/a.png',
    ]) {
      const error = await caught(importer.execute(OWNER, { listingId: listing.id, url }));
      expect(error, url).toMatchObject({ code: 'VALIDATION_FAILED', violations: [{ reason: 'address_not_allowed' }] });
    }
    expect(host.requests).toEqual([]);
    await expectNothingStored();
  });

  it('re-checks a redirect: an allowed host cannot send the import to a forbidden one', async () => {
    const listing = await images.world.newListing();
    const error = await caught(
      images.importer(allowLocal).execute(OWNER, { listingId: listing.id, url: `${host.base}/to-metadata` }),
    );
    expect(error).toMatchObject({ violations: [{ reason: 'address_not_allowed' }] });
    await expectNothingStored();
  });

  it('refuses other schemes, credentials, error statuses and non-images', async () => {
    const listing = await images.world.newListing();
    const importer = images.importer(allowLocal);
    const reasons = [];
    for (const url of ['ftp://example.com/a.png', 'file:///etc/passwd', `http://user:pw@127.0.0.1/photo.png`]) {
      reasons.push((await caught(importer.execute(OWNER, { listingId: listing.id, url })))?.violations[0]?.reason);
    }
    expect(reasons).toEqual(['scheme_not_allowed', 'scheme_not_allowed', 'credentials_not_allowed']);
    const missing = await caught(importer.execute(OWNER, { listingId: listing.id, url: `${host.base}/missing.png` }));
    expect(missing).toMatchObject({ violations: [{ reason: 'fetch_failed' }], details: { status: 404 } });
    const text = await caught(importer.execute(OWNER, { listingId: listing.id, url: `${host.base}/notes.jpg` }));
    expect(text?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    await expectNothingStored();
  });

  it('refuses a body past the limit, by its Content-Length or while streaming', async () => {
    const listing = await images.world.newListing();
    const importer = images.importer(allowLocal);
    const declared = await caught(
      importer.execute(OWNER, { listingId: listing.id, url: `${host.base}/declared-huge.jpg` }),
    );
    expect(declared?.code).toBe('PAYLOAD_TOO_LARGE');
    const endless = await caught(importer.execute(OWNER, { listingId: listing.id, url: `${host.base}/endless.jpg` }));
    expect(endless?.code).toBe('PAYLOAD_TOO_LARGE');
    await expectNothingStored();
  });

  it('gives up on a slow server at the time limit', async () => {
    const listing = await images.world.newListing();
    const started = performance.now();
    const error = await caught(
      images
        .importer({ fetcher: { allow: ['127.0.0.1'], timeoutMs: 300 } })
        .execute(OWNER, { listingId: listing.id, url: `${host.base}/slow.png` }),
    );
    expect(error?.code).toBe('DEADLINE_EXCEEDED');
    expect(performance.now() - started).toBeLessThan(5000);
    await expectNothingStored();
  });

  it('checks the caller before fetching anything', async () => {
    const listing = await images.world.newListing();
    const error = await caught(
      images.importer(allowLocal).execute(STRANGER, { listingId: listing.id, url: `${host.base}/photo.png` }),
    );
    expect(error?.code).toBe('PERMISSION_DENIED');
    expect(host.requests).toEqual([]);
  });
});
