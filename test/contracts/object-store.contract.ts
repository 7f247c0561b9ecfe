import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../ports/object-store.ts';
import { AppError } from '../../src/domain/errors.ts';

export interface FetchedObject {
  readonly status: number;
  readonly body: Uint8Array;
}

export interface ObjectStoreContractOptions {
  /** GETs a presigned URL as a browser would. Default: `fetch()`. */
  readonly fetchPresigned?: (url: string) => Promise<FetchedObject>;
}

const MiB = 1024 * 1024;

/**
 * The behaviour every {@link ObjectStore} adapter must show. `makeStore` is called once per file; each
 * test works under its own key prefix, so tests do not see each other's objects.
 */
export function describeObjectStoreContract(
  name: string,
  makeStore: () => Promise<ObjectStore>,
  options: ObjectStoreContractOptions = {},
): void {
  const fetchPresigned = options.fetchPresigned ?? fetchWithGlobalFetch;
  const run = randomUUID().slice(0, 8);
  let store: ObjectStore;
  let area = 0;
  /** A fresh key prefix for one test. */
  const fresh = () => `contract-${run}/t${++area}/`;

  describe(`ObjectStore contract: ${name}`, () => {
    beforeAll(async () => {
      store = await makeStore();
      await Promise.all([store.ensureReady(), store.ensureReady()]);
    });
    afterAll(async () => {
      await store?.close();
    });

    it('round-trips bytes, with size, etag and SHA-256', async () => {
      const key = `${fresh()}bytes.bin`;
      const bytes = randomBytes(100_000);
      const put = await store.put(key, bytes, { contentType: 'application/octet-stream' });
      expect(put).toMatchObject({ key, size: bytes.length, sha256: sha256(bytes) });
      const got = await store.get(key);
      expect(got).toMatchObject({ key, size: bytes.length, etag: put.etag, contentType: 'application/octet-stream' });
      expect(Buffer.from(await readAll(got.body)).equals(bytes)).toBe(true);
    });

    it('round-trips a stream of unknown length, and an empty object', async () => {
      const key = `${fresh()}stream.bin`;
      const parts = [randomBytes(70_000), randomBytes(1), randomBytes(300_000)];
      const put = await store.put(key, Readable.from(parts), { contentType: 'application/octet-stream' });
      expect(put.size).toBe(370_001);
      expect(Buffer.from(await readAll((await store.get(key)).body)).equals(Buffer.concat(parts))).toBe(true);

      await store.put(`${key}.empty`, Readable.from([]), { contentType: 'text/plain', contentLength: 0 });
      const empty = await store.get(`${key}.empty`);
      expect(empty.size).toBe(0);
      expect((await readAll(empty.body)).length).toBe(0);
    });

    it('keeps content type and metadata, for get and stat', async () => {
      const key = `${fresh()}cover.png`;
      const metadata = {
        'listing-id': '42',
        'original-name': 'Front  view (1); "a",b=c.png',
        punctuation: '~!@#$%^&*_+`{}|[]\\:<>?/',
        empty: '',
      };
      const before = Date.now();
      await store.put(key, Buffer.from('png'), { contentType: 'image/png', metadata });
      const info = await store.stat(key);
      expect(info).toMatchObject({ key, size: 3, contentType: 'image/png', metadata });
      expect(info?.lastModified.getTime()).toBeGreaterThan(before - 5 * 60_000);
      const got = await store.get(key);
      expect(got).toMatchObject({ contentType: 'image/png', metadata, etag: info?.etag });
      got.body.destroy();
    });

    it('says undefined for stat and OBJECT_NOT_FOUND for get of a missing key', async () => {
      const key = `${fresh()}missing.bin`;
      expect(await store.stat(key)).toBeUndefined();
      await expect(store.get(key)).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    });

    it('lists by prefix in key byte order, recursive or one level', async () => {
      const p = fresh();
      const keys = ['b.txt', 'c/d/e.txt', 'a/x.txt', 'a.txt', 'a-1.txt', 'é.txt', 'z.txt'].map((k) => p + k);
      for (const key of keys) await store.put(key, Buffer.from(key), { contentType: 'text/plain' });
      await store.put(`${p.slice(0, -1)}-sibling/x.txt`, Buffer.from('x'), { contentType: 'text/plain' });

      const all = await collect(store.list(p, { recursive: true }));
      expect(all.map((o) => o.key)).toEqual(
        ['a-1.txt', 'a.txt', 'a/x.txt', 'b.txt', 'c/d/e.txt', 'z.txt', 'é.txt'].map((k) => p + k),
      );
      expect(all[0]).toMatchObject({ size: Buffer.byteLength(`${p}a-1.txt`) });
      expect(all[0]?.etag).toEqual(expect.any(String));
      expect(all[0]?.lastModified).toBeInstanceOf(Date);

      const top = await keysOf(store.list(p, { recursive: false }));
      expect(top).toEqual(['a-1.txt', 'a.txt', 'b.txt', 'z.txt', 'é.txt'].map((k) => p + k));
      expect(await keysOf(store.list(`${p}a`, { recursive: true }))).toEqual(
        ['a-1.txt', 'a.txt', 'a/x.txt'].map((k) => p + k),
      );
      expect(await keysOf(store.list(`${p}a`, { recursive: false }))).toEqual(['a-1.txt', 'a.txt'].map((k) => p + k));
      expect(await keysOf(store.list(`${p}c/`, { recursive: false }))).toEqual([]);
      expect(await keysOf(store.list(`${p}nothing/`, { recursive: true }))).toEqual([]);
    });

    it('resumes a listing after startAfter', async () => {
      const p = fresh();
      for (const k of ['a/1', 'a/2', 'b/1', 'c']) await store.put(p + k, Buffer.from(k), { contentType: 'text/plain' });
      const listAfter = (startAfter: string, recursive = true) => keysOf(store.list(p, { recursive, startAfter }));
      expect(await listAfter(`${p}a/1`)).toEqual([`${p}a/2`, `${p}b/1`, `${p}c`]);
      expect(await listAfter(`${p}a/`)).toEqual([`${p}a/1`, `${p}a/2`, `${p}b/1`, `${p}c`]);
      expect(await listAfter(`${p}b`)).toEqual([`${p}b/1`, `${p}c`]);
      expect(await listAfter(`${p}b/1`, false)).toEqual([`${p}c`]);
      expect(await listAfter(`${p}c`)).toEqual([]);
    });

    it('lists past a page of 1,000 keys (S3 pages at 1,000) in order, with no gap or repeat', async () => {
      const p = fresh();
      // 1,001 keys so the listing crosses a page boundary; `é` and `😀` keep byte order honest across it.
      const keys = Array.from({ length: 1001 }, (_, at) => `${p}${String(at).padStart(4, '0')}`);
      keys.push(`${p}é`, `${p}😀`);
      for (let start = 0; start < keys.length; start += 32) {
        await Promise.all(
          keys.slice(start, start + 32).map((key) => store.put(key, Buffer.from('x'), { contentType: 'text/plain' })),
        );
      }
      expect(await keysOf(store.list(p, { recursive: true }))).toEqual(keys);
      expect(await keysOf(store.list(p, { recursive: true, startAfter: keys[999] }))).toEqual(keys.slice(1000));
      await store.delete(keys.slice(0, 1000));
      await store.delete(keys.slice(1000));
    }, 120_000);

    it('deletes idempotently, including keys that never existed', async () => {
      const p = fresh();
      await store.put(`${p}one`, Buffer.from('1'), { contentType: 'text/plain' });
      await store.put(`${p}deep/two`, Buffer.from('2'), { contentType: 'text/plain' });
      await store.delete([`${p}one`, `${p}deep/two`, `${p}never`]);
      await store.delete([`${p}one`, `${p}deep/two`]);
      await store.delete([]);
      expect(await store.stat(`${p}one`)).toBeUndefined();
      expect(await keysOf(store.list(p, { recursive: true }))).toEqual([]);
    });

    it('overwrites body, content type and metadata together', async () => {
      const key = `${fresh()}doc`;
      const first = await store.put(key, Buffer.from('first'), { contentType: 'text/plain', metadata: { a: '1' } });
      const second = await store.put(key, Buffer.from('second!'), { contentType: 'image/gif', metadata: { b: '2' } });
      expect(second.etag).not.toBe(first.etag);
      const got = await store.get(key);
      expect(got).toMatchObject({ size: 7, contentType: 'image/gif', metadata: { b: '2' }, etag: second.etag });
      expect(got.metadata).not.toHaveProperty('a');
      expect(Buffer.from(await readAll(got.body)).toString()).toBe('second!');
    });

    it('keeps showing the old object while an overwrite is still streaming', async () => {
      const key = `${fresh()}slow`;
      await store.put(key, Buffer.from('old'), { contentType: 'text/plain' });
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      async function* slowBody() {
        yield Buffer.from('new ');
        await released;
        yield Buffer.from('content');
      }
      const pending = store.put(key, Readable.from(slowBody()), { contentType: 'text/plain' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(Buffer.from(await readAll((await store.get(key)).body)).toString()).toBe('old');
      release();
      await pending;
      expect(Buffer.from(await readAll((await store.get(key)).body)).toString()).toBe('new content');
    });

    it('gives a presigned URL that serves the bytes and only for that key', async () => {
      const p = fresh();
      const bytes = randomBytes(5000);
      await store.put(`${p}a.bin`, bytes, { contentType: 'application/octet-stream' });
      await store.put(`${p}b.bin`, Buffer.from('other'), { contentType: 'application/octet-stream' });
      const url = await store.presignedGetUrl(`${p}a.bin`, 60);
      const fetched = await fetchPresigned(url);
      expect(fetched.status).toBe(200);
      expect(Buffer.from(fetched.body).equals(bytes)).toBe(true);
      expect((await fetchPresigned(url.replace('/a.bin?', '/b.bin?'))).status).toBe(403);
      await expect(store.presignedGetUrl(`${p}a.bin`, 0)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(store.presignedGetUrl(`${p}a.bin`, 8 * 86_400)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    const badKeys = ['../x', '/abs', 'a\\b', 'a/../b', 'a//b', 'a/', '', './a', 'a\u0000b', 'k'.repeat(1025)];
    it.each(badKeys.map((key) => [key.length > 40 ? `of ${key.length} bytes` : JSON.stringify(key), key]))(
      'rejects the bad key %s everywhere with VALIDATION_FAILED',
      async (_label, key) => {
        const body = Buffer.from('x');
        await expectCode(store.put(key, body, { contentType: 'text/plain' }), 'VALIDATION_FAILED');
        await expectCode(store.get(key), 'VALIDATION_FAILED');
        await expectCode(store.stat(key), 'VALIDATION_FAILED');
        await expectCode(store.delete([key]), 'VALIDATION_FAILED');
        await expectCode(store.presignedGetUrl(key, 60), 'VALIDATION_FAILED');
      },
    );

    it('rejects bad metadata and content types before storing anything', async () => {
      const key = `${fresh()}x`;
      const put = (options: { contentType: string; metadata?: Record<string, string> }) =>
        store.put(key, Buffer.from('x'), options);
      await expectCode(put({ contentType: 'text/plain', metadata: { 'Upper-Case': 'v' } }), 'VALIDATION_FAILED');
      await expectCode(put({ contentType: 'text/plain', metadata: { name: 'caf\u00e9' } }), 'VALIDATION_FAILED');
      await expectCode(put({ contentType: 'text/plain', metadata: { padded: ' x' } }), 'VALIDATION_FAILED');
      await expectCode(put({ contentType: 'text/plain', metadata: { big: 'x'.repeat(3000) } }), 'VALIDATION_FAILED');
      await expectCode(put({ contentType: 'not a type' }), 'VALIDATION_FAILED');
      expect(await store.stat(key)).toBeUndefined();
    });

    it('refuses a body over maxBytes with PAYLOAD_TOO_LARGE and leaves nothing, nor harms the old object', async () => {
      const p = fresh();
      const big = { contentType: 'application/octet-stream', maxBytes: MiB };
      await expectCode(store.put(`${p}stream`, Readable.from(chunks(3 * MiB)), big), 'PAYLOAD_TOO_LARGE');
      await expectCode(store.put(`${p}bytes`, randomBytes(MiB + 1), big), 'PAYLOAD_TOO_LARGE');
      const pulled = counting(chunks(3 * MiB));
      const announced = store.put(`${p}announced`, Readable.from(pulled), { ...big, contentLength: 3 * MiB });
      await expectCode(announced, 'PAYLOAD_TOO_LARGE');
      expect(pulled.bytes).toBe(0);
      await store.put(`${p}kept`, Buffer.from('kept'), { contentType: 'text/plain' });
      await expectCode(store.put(`${p}kept`, Readable.from(chunks(3 * MiB)), big), 'PAYLOAD_TOO_LARGE');

      expect(await store.stat(`${p}stream`)).toBeUndefined();
      expect(await keysOf(store.list(p, { recursive: true }))).toEqual([`${p}kept`]);
      expect(Buffer.from(await readAll((await store.get(`${p}kept`)).body)).toString()).toBe('kept');
      expect((await store.put(`${p}exact`, randomBytes(MiB), big)).size).toBe(MiB);
    });

    it('fails a body that errors mid-way (a truncated upload) with its error and leaves nothing', async () => {
      const p = fresh();
      async function* truncated() {
        yield* chunks(12 * MiB); // more than one upload part, so a multipart upload is under way
        throw new Error('client went away');
      }
      await expect(store.put(`${p}cut`, Readable.from(truncated()), { contentType: 'text/plain' })).rejects.toThrow(
        'client went away',
      );
      expect(await store.stat(`${p}cut`)).toBeUndefined();
      expect(await keysOf(store.list(p, { recursive: true }))).toEqual([]);
    });

    it('rejects a body whose length differs from contentLength, leaving nothing', async () => {
      const p = fresh();
      const options = (contentLength: number) => ({ contentType: 'text/plain', contentLength });
      await expectCode(store.put(`${p}short`, Readable.from([Buffer.alloc(50)]), options(100)), 'VALIDATION_FAILED');
      await expectCode(store.put(`${p}long`, Buffer.alloc(150), options(100)), 'VALIDATION_FAILED');
      expect(await keysOf(store.list(p, { recursive: true }))).toEqual([]);
    });

    it('streams: 50 MiB against a 10 MiB limit stops early with bounded memory; 50 MiB stored likewise', async () => {
      const p = fresh();
      const limited = counting(chunks(50 * MiB));
      const peakDuring = await peakRssGrowth(() =>
        store.put(`${p}limited`, Readable.from(limited), {
          contentType: 'application/octet-stream',
          maxBytes: 10 * MiB,
        }),
      );
      expect(peakDuring.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      expect(limited.bytes).toBeLessThan(12 * MiB);
      expect(peakDuring.growth).toBeLessThan(30 * MiB);
      expect(await store.stat(`${p}limited`)).toBeUndefined();
      expect(await keysOf(store.list(p, { recursive: true }))).toEqual([]);

      const whole = await peakRssGrowth(() =>
        store.put(`${p}whole`, Readable.from(chunks(50 * MiB)), { contentType: 'application/octet-stream' }),
      );
      expect(whole.error).toBeUndefined();
      expect(whole.growth).toBeLessThan(30 * MiB);
      const hash = createHash('sha256');
      for await (const chunk of (await store.get(`${p}whole`)).body) hash.update(chunk);
      expect(hash.digest('hex')).toBe(sha256Of(chunks(50 * MiB)));
      await store.delete([`${p}whole`]);
    });
  });
}

async function fetchWithGlobalFetch(url: string): Promise<FetchedObject> {
  const response = await fetch(url);
  return { status: response.status, body: new Uint8Array(await response.arrayBuffer()) };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

async function readAll(stream: Readable): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

async function keysOf(items: AsyncIterable<{ key: string }>): Promise<string[]> {
  return (await collect(items)).map((item) => item.key);
}

const CHUNK = Buffer.alloc(64 * 1024, 'listings-object-store-contract ');

/** `total` bytes in 64 KiB chunks, all one shared buffer, so the producer itself allocates nothing. */
function* chunks(total: number): Generator<Buffer> {
  for (let sent = 0; sent < total; sent += CHUNK.length) yield CHUNK.subarray(0, Math.min(CHUNK.length, total - sent));
}

function sha256Of(source: Iterable<Buffer>): string {
  const hash = createHash('sha256');
  for (const chunk of source) hash.update(chunk);
  return hash.digest('hex');
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Wraps a chunk source, counting the bytes the consumer actually pulled. */
function counting(source: Iterable<Buffer>): Iterable<Buffer> & { bytes: number } {
  const counter = {
    bytes: 0,
    *[Symbol.iterator]() {
      for (const chunk of source) {
        counter.bytes += chunk.length;
        yield chunk;
      }
    },
  };
  return counter;
}

/** Runs `work`, sampling RSS every few milliseconds; returns the peak growth over the start and any error. */
async function peakRssGrowth(work: () => Promise<unknown>): Promise<{ growth: number; error: unknown }> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  let error: unknown;
  try {
    await work();
  } catch (e) {
    error = e;
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { growth: peak - start, error };
}
