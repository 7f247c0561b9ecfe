import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Client } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MinioObjectStore, type MinioObjectStoreSettings } from '../../../adapters/minio/minio-object-store.ts';
import { describeObjectStoreContract } from '../../contracts/object-store.contract.ts';
import { s3Settings } from '../../support/servers.ts';

// One bucket for this file, removed afterwards with everything in it (objects and unfinished uploads).
const bucket = `listings-objects-${randomUUID().slice(0, 8)}`;
const MiB = 1024 * 1024;
let settings: MinioObjectStoreSettings;
let admin: Client;

function settingsFor(overrides: Partial<MinioObjectStoreSettings> = {}): MinioObjectStoreSettings {
  const { endpoint, accessKey, secretKey } = s3Settings();
  return { endpoint, accessKey, secretKey, bucket, region: 'us-east-1', useSsl: false, ...overrides };
}

/** Unfinished multipart uploads under `prefix` (MinIO matches only a whole key or '', so filter here). */
async function incompleteUploads(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const upload of admin.listIncompleteUploads(bucket, '', true)) {
    if (upload.key.startsWith(prefix)) keys.push(upload.key);
  }
  return keys;
}

async function removeBucket(name: string): Promise<void> {
  if (!(await admin.bucketExists(name))) return;
  const names: string[] = [];
  for await (const item of admin.listObjectsV2(name, '', true)) if (item.name) names.push(item.name);
  await admin.removeObjects(name, names);
  for await (const upload of admin.listIncompleteUploads(name, '', true)) {
    await admin.abortMultipartUpload(name, upload.key, upload.uploadId);
  }
  await admin.removeBucket(name);
}

beforeAll(() => {
  settings = settingsFor();
  const url = new URL(settings.endpoint);
  admin = new Client({
    endPoint: url.hostname,
    port: Number(url.port),
    useSSL: url.protocol === 'https:',
    accessKey: settings.accessKey,
    secretKey: settings.secretKey,
    pathStyle: true,
    region: 'us-east-1',
  });
});

afterAll(async () => {
  await removeBucket(bucket);
});

describeObjectStoreContract('minio', async () => new MinioObjectStore(settings));

describe('MinioObjectStore against the real server', () => {
  let store: MinioObjectStore;
  beforeAll(async () => {
    store = new MinioObjectStore({ ...settings, partSize: 5 * MiB });
    await store.ensureReady();
  });
  afterAll(async () => {
    await store.close();
  });

  it('stores a multipart object with its content type and metadata', async () => {
    const key = `multi/${randomUUID()}`;
    const bytes = randomBytes(12 * MiB + 17);
    const put = await store.put(key, Readable.from([bytes.subarray(0, 7 * MiB), bytes.subarray(7 * MiB)]), {
      contentType: 'application/gzip',
      metadata: { 'backup-of': 'listings', 'content-type': 'user value, not the header' },
    });
    expect(put.etag).toMatch(/-3$/); // three parts of at most 5 MiB
    const info = await store.stat(key);
    expect(info).toMatchObject({ size: bytes.length, contentType: 'application/gzip' });
    expect(info?.metadata).toEqual({ 'backup-of': 'listings', 'content-type': 'user value, not the header' });
    const parts: Buffer[] = [];
    for await (const chunk of (await store.get(key)).body) parts.push(chunk);
    expect(Buffer.concat(parts).equals(bytes)).toBe(true);
  });

  it('aborts the multipart upload when a body passes maxBytes or breaks, leaving no parts behind', async () => {
    const prefix = `aborted/${randomUUID()}/`;
    const chunk = Buffer.alloc(MiB, 1);
    async function* endless() {
      for (;;) yield chunk;
    }
    async function* broken() {
      for (let i = 0; i < 11; i++) yield chunk;
      throw new Error('upload cut');
    }
    const tooLarge = store.put(`${prefix}big`, Readable.from(endless()), {
      contentType: 'application/octet-stream',
      maxBytes: 11 * MiB,
    });
    await expect(tooLarge).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(store.put(`${prefix}cut`, Readable.from(broken()), { contentType: 'text/plain' })).rejects.toThrow(
      'upload cut',
    );
    expect(await store.stat(`${prefix}big`)).toBeUndefined();
    expect(await store.stat(`${prefix}cut`)).toBeUndefined();
    expect(await incompleteUploads(prefix)).toEqual([]);
  });

  it('rejects a tampered presigned URL signature', async () => {
    const key = `signed/${randomUUID()}`;
    await store.put(key, Buffer.from('secret bytes'), { contentType: 'text/plain' });
    const url = new URL(await store.presignedGetUrl(key, 60));
    expect(url.pathname).toBe(`/${bucket}/${key}`); // path-style
    url.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    expect((await fetch(url)).status).toBe(403);
  });

  it('creates a missing bucket in ensureReady, idempotently, and accepts a host:port endpoint', async () => {
    const fresh = `listings-ready-${randomUUID().slice(0, 8)}`;
    const hostPort = new URL(settings.endpoint).host;
    const other = new MinioObjectStore({ ...settings, endpoint: hostPort, bucket: fresh });
    try {
      await Promise.all([other.ensureReady(), other.ensureReady()]);
      await other.ensureReady();
      expect(await admin.bucketExists(fresh)).toBe(true);
      await other.put('x', Buffer.from('x'), { contentType: 'text/plain' });
      expect((await other.stat('x'))?.size).toBe(1);
    } finally {
      await other.close();
      await removeBucket(fresh);
    }
  });

  it('reports wrong credentials and an unreachable server as DEPENDENCY_UNAVAILABLE', async () => {
    const wrongKey = new MinioObjectStore({ ...settings, secretKey: 'not-the-secret' });
    const nobody = new MinioObjectStore({ ...settings, endpoint: 'http://127.0.0.1:1' });
    try {
      await expect(wrongKey.ensureReady()).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
      await expect(wrongKey.put('k', Buffer.from('x'), { contentType: 'text/plain' })).rejects.toMatchObject({
        code: 'DEPENDENCY_UNAVAILABLE',
      });
      await expect(nobody.ensureReady()).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    } finally {
      await wrongKey.close();
      await nobody.close();
    }
  });

  it('keeps a body returned by get readable after close', async () => {
    const key = `closing/${randomUUID()}`;
    const bytes = randomBytes(3 * MiB);
    await store.put(key, bytes, { contentType: 'application/octet-stream' });
    const closing = new MinioObjectStore(settings);
    const { body } = await closing.get(key);
    await closing.close();
    const parts: Buffer[] = [];
    for await (const chunk of body) parts.push(chunk);
    expect(Buffer.concat(parts).equals(bytes)).toBe(true);
  });

  it('refuses a part size below the S3 minimum and a malformed endpoint', () => {
    expect(() => new MinioObjectStore({ ...settings, partSize: MiB })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(() => new MinioObjectStore({ ...settings, endpoint: 'http://host:9000/some/path' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
