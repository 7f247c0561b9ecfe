import { randomBytes, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Client } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Settings } from '../../support/servers.ts';

// Proves the server behind LISTINGS_TEST_S3_* is a real S3-compatible MinIO that the `minio`
// npm client talks to unchanged: buckets, objects, listing and presigned URLs.
const bucket = `servers-test-${randomUUID().slice(0, 8)}`;
const objectName = 'photos/listing-1/cover.jpg';
const bytes = randomBytes(256 * 1024);
let client: Client;

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

beforeAll(() => {
  const { endpoint, accessKey, secretKey } = s3Settings();
  const url = new URL(endpoint);
  client = new Client({
    endPoint: url.hostname,
    port: Number(url.port),
    useSSL: url.protocol === 'https:',
    accessKey,
    secretKey,
    pathStyle: true,
    region: 'us-east-1',
  });
});

afterAll(async () => {
  if (!client || !(await client.bucketExists(bucket))) return;
  const names: string[] = [];
  for await (const item of client.listObjectsV2(bucket, '', true)) if (item.name) names.push(item.name);
  await client.removeObjects(bucket, names);
  await client.removeBucket(bucket);
});

describe('MinIO server', () => {
  it('makes a bucket, stores an object and gives back the same bytes', async () => {
    await client.makeBucket(bucket, 'us-east-1');
    expect(await client.bucketExists(bucket)).toBe(true);
    await client.putObject(bucket, objectName, bytes, bytes.length, { 'Content-Type': 'image/jpeg' });

    const stat = await client.statObject(bucket, objectName);
    expect(stat.size).toBe(bytes.length);
    expect(stat.metaData['content-type']).toBe('image/jpeg');
    expect((await readAll(await client.getObject(bucket, objectName))).equals(bytes)).toBe(true);
  });

  it('lists objects with listObjectsV2', async () => {
    await client.putObject(bucket, 'photos/listing-2/cover.jpg', Buffer.from('second'));
    const names: string[] = [];
    for await (const item of client.listObjectsV2(bucket, 'photos/', true)) if (item.name) names.push(item.name);
    expect(names.sort()).toEqual(['photos/listing-1/cover.jpg', 'photos/listing-2/cover.jpg']);
  });

  it('serves a presigned GET URL to plain fetch()', async () => {
    const url = await client.presignedGetObject(bucket, objectName, 60);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);

    const tampered = new URL(url);
    tampered.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    expect((await fetch(tampered)).status).toBe(403);
  });
});
