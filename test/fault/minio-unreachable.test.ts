/**
 * MinIO unreachable (a TCP proxy in front of the real server goes down) under the running service: an image upload
 * answers 503 problem+json and leaves no listing_images row and no object, listings are still served, /readyz stays
 * 200 (storage is not critical), and uploads work again once MinIO answers.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'minio';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestDatabase } from '../support/databases.ts';
import { s3Settings } from '../support/servers.ts';
import {
  type HttpAnswer,
  request,
  type ServiceUnderTest,
  seededDatabase,
  startServiceUnderTest,
  userToken,
} from '../support/service-under-test.ts';
import { TcpOutage } from '../support/tcp-outage.ts';
import { adminQuery } from './support/admin-sql.ts';

const bucket = `listings-fault-${randomUUID().slice(0, 8)}`;
const outage = new TcpOutage(s3Settings().endpoint);
let admin: Client;
let db: TestDatabase;
let categories: Record<string, number>;
let service: ServiceUnderTest;
let owner: string;

beforeAll(async () => {
  const { endpoint, accessKey, secretKey } = s3Settings();
  const url = new URL(endpoint);
  admin = new Client({
    endPoint: url.hostname,
    port: Number(url.port),
    useSSL: false,
    accessKey,
    secretKey,
    pathStyle: true,
    region: 'us-east-1',
  });
  await outage.up();
  ({ db, categories } = await seededDatabase('listings_fault_minio'));
  service = await startServiceUnderTest(db.url as string, {
    SVETULISTINGS_MINIO_ENDPOINT: outage.address,
    SVETULISTINGS_MINIO_ACCESS_KEY: accessKey,
    SVETULISTINGS_MINIO_SECRET_KEY: secretKey,
    SVETULISTINGS_MINIO_BUCKET: bucket,
    SVETULISTINGS_WORKER_ENABLED: 'false',
  });
  owner = await userToken('7');
});
afterAll(async () => {
  await outage.down();
  await service?.stop();
  await db?.dispose();
  if (admin && (await admin.bucketExists(bucket))) {
    const names: string[] = [];
    for await (const item of admin.listObjectsV2(bucket, '', true)) if (item.name) names.push(item.name);
    await admin.removeObjects(bucket, names);
    for await (const upload of admin.listIncompleteUploads(bucket, '', true)) {
      await admin.abortMultipartUpload(bucket, upload.key, upload.uploadId);
    }
    await admin.removeBucket(bucket);
  }
});

async function upload(listingId: number): Promise<HttpAnswer> {
  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7' } })
    .jpeg()
    .toBuffer();
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'bike.jpg');
  const response = await fetch(`${service.base}/api/v1/listings/${listingId}/images`, {
    method: 'POST',
    headers: { authorization: `Bearer ${owner}` },
    body: form,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: response.status, headers: response.headers, text, json };
}

async function objectNames(): Promise<string[]> {
  if (!(await admin.bucketExists(bucket))) return [];
  const names: string[] = [];
  for await (const item of admin.listObjectsV2(bucket, '', true)) if (item.name) names.push(item.name);
  return names;
}

it('fails an upload with 503 and no row or object while MinIO is down; uploads again once it is back', async () => {
  const body = { title: 'Bike with photos', price: 10, currency: 'RSD', category_id: categories.bicycles, quantity: 1 };
  const created = await request(service.base, 'POST', '/api/v1/listings', { token: owner, body });
  expect(created.status, created.text).toBe(201);
  const id = created.json.id as number;

  await outage.down();
  const failed = await upload(id);
  expect(failed.status, failed.text).toBe(503);
  expect(failed.headers.get('content-type')).toContain('application/problem+json');
  // biome-ignore lint/suspicious/noExplicitAny: a problem document
  expect((failed.json as any).code).toBe('DEPENDENCY_UNAVAILABLE');
  expect(failed.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  // The refused address stays in the logs: the detail names the failure, not the network.
  expect(failed.text).not.toContain(outage.address);
  expect(await adminQuery('SELECT id FROM listing_images WHERE listing_id = $1', [id], db.url)).toEqual([]);
  expect((await request(service.base, 'GET', `/api/v1/listings/${id}`, { token: owner })).status).toBe(200);
  expect((await request(service.base, 'GET', '/readyz')).status).toBe(200);

  await outage.up();
  const stored = await upload(id);
  expect(stored.status, stored.text).toBe(201);
  const rows = await adminQuery<{ id: string }>('SELECT id FROM listing_images WHERE listing_id = $1', [id], db.url);
  expect(rows).toHaveLength(1);
  // Only the successful upload's objects (original and thumbnails) are in the bucket: nothing of the failed one.
  const names = await objectNames();
  expect(names.length).toBeGreaterThan(0);
  expect(new Set(names.map((name) => name.split('/').slice(0, -1).join('/'))).size).toBe(1);
});
