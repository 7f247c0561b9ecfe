import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER } from '../use-cases/listings/principals.ts';
import { form, type HttpImageWorld, openHttpImageWorld } from './http-world.ts';
import { type ImageWorld, image, MiB, openImageWorld, STORE_KINDS } from './image-world.ts';

const OFFERED = 50 * MiB;
/** Memory an upload may add: the 10 MiB limit is never held whole, one upload part (8 MiB) at most, plus slack. */
const ALLOWED_GROWTH = 30 * MiB;

/**
 * A JPEG head, then `total` bytes of one reused 1 MiB chunk. An async generator, not a byte-mode Readable: reading
 * a byte-mode stream can concatenate what it buffered into fresh Buffers, which would measure the harness.
 */
function lazyBody(head: Buffer, total: number): { chunks: AsyncGenerator<Buffer>; produced(): number } {
  const chunk = Buffer.alloc(MiB, 0x5a);
  let produced = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    produced += head.length;
    yield head;
    while (produced < total) {
      produced += chunk.length;
      yield chunk;
    }
  }
  return { chunks: chunks(), produced: () => produced };
}

/** The highest RSS seen while `work` runs, sampled every few milliseconds, minus the RSS before it. */
async function rssGrowth(work: () => Promise<unknown>): Promise<number> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 2);
  try {
    await work().catch(() => {});
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, process.memoryUsage.rss()) - before;
}

describe.each(STORE_KINDS)('a 50 MiB upload on %s, refused at 10 MiB', (kind) => {
  let images: ImageWorld;
  let http: HttpImageWorld;
  let head: Buffer;
  beforeAll(async () => {
    images = await openImageWorld(kind);
    http = await openHttpImageWorld(kind);
    head = await image('jpeg', 16, 16);
  });
  afterAll(async () => {
    await images?.dispose();
    await http?.dispose();
  });

  it('through the use case raises RSS by less than 30 MiB', async () => {
    const listing = await images.world.newListing();
    const upload = images.uploader();
    // Warm up: code paths, connection pools and buffers that any first upload allocates.
    const warmUp = lazyBody(head, 11 * MiB);
    await upload.execute(OWNER, { listingId: listing.id, body: Readable.from(warmUp.chunks) }).catch(() => {});
    const body = lazyBody(head, OFFERED);
    let error: unknown;
    const growth = await rssGrowth(async () => {
      error = await upload
        .execute(OWNER, { listingId: listing.id, body: Readable.from(body.chunks) })
        .catch((e: unknown) => e);
    });
    expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(body.produced()).toBeLessThan(OFFERED);
    expect(growth).toBeLessThan(ALLOWED_GROWTH);
    expect(await images.keys()).toEqual([]);
  });

  it('through the multipart route raises RSS by less than 30 MiB', async () => {
    const listing = await http.world.newListing();
    const send = () =>
      http.upload(listing.id, form([{ name: 'file', filename: 'big.jpg', data: lazyBody(head, OFFERED).chunks }]));
    await send();
    let status = 0;
    const growth = await rssGrowth(async () => {
      status = (await send()).statusCode;
    });
    expect(status).toBe(413);
    expect(growth).toBeLessThan(ALLOWED_GROWTH);
    expect(await http.keys()).toEqual([]);
  });
});
