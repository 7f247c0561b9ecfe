/**
 * Secrets never reach the logs or /metrics: the running service logs at `trace` (everything it can write) while
 * callers present good and bad bearer tokens over REST and gRPC and the database drops its connections; neither
 * any token, nor the database password (of a role made for this test, so the string is unmistakable), nor the
 * JWT secret appears in a log line or on /metrics. Every log line is one JSON document.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adminQuery, databaseName, terminateBackends } from '../fault/support/admin-sql.ts';
import type { TestDatabase } from '../support/databases.ts';
import {
  JWT_SECRET,
  request,
  type ServiceUnderTest,
  seededDatabase,
  startServiceUnderTest,
  userToken,
} from '../support/service-under-test.ts';

const role = `listings_sec_${randomBytes(4).toString('hex')}`;
const password = `Pw-${randomBytes(12).toString('hex')}`;
let db: TestDatabase;
let categories: Record<string, number>;
let service: ServiceUnderTest;

beforeAll(async () => {
  ({ db, categories } = await seededDatabase('listings_sec_secrets'));
  await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
  await adminQuery(`GRANT listings TO ${role}`);
  const url = new URL(db.url as string);
  url.username = role;
  url.password = password;
  service = await startServiceUnderTest(url.toString(), { SVETULISTINGS_WORKER_ENABLED: 'false' }, 'trace');
});
afterAll(async () => {
  await service?.stop();
  await db?.dispose();
  await adminQuery(`DROP ROLE IF EXISTS ${role}`);
});

it('writes no token, password or JWT secret to the logs or /metrics, whatever happens', async () => {
  const token = await userToken('7');
  const adminToken = await userToken('1', ['admin']);
  const forged = `${token.slice(0, -6)}AAAAAA`;
  const body = { title: 'Secret bike', price: 10, currency: 'RSD', category_id: categories.bicycles, quantity: 1 };

  expect((await request(service.base, 'POST', '/api/v1/listings', { token, body })).status).toBe(201);
  expect((await request(service.base, 'GET', '/api/v1/listings?user_id=7', { token: adminToken })).status).toBe(200);
  expect((await request(service.base, 'POST', '/api/v1/listings', { token: forged, body })).status).toBe(401);
  await request(service.base, 'GET', `/api/v1/listings?access_token=${token}`);
  await service.grpc(token).listListings({ userId: 7, limit: 5, offset: 0 });
  await service
    .grpc(forged)
    .listListings({ userId: 7, limit: 5, offset: 0 })
    .catch(() => {});
  await terminateBackends(databaseName(db.url as string));
  await request(service.base, 'POST', '/api/v1/listings', { token, body });
  await request(service.base, 'GET', '/readyz');
  const metrics = await request(service.base, 'GET', '/metrics');
  expect(metrics.status).toBe(200);

  expect(service.logLines.length).toBeGreaterThan(10);
  const secrets = {
    token,
    'token signature': token.split('.')[2] as string,
    'admin token signature': adminToken.split('.')[2] as string,
    'forged token signature': forged.split('.')[2] as string,
    'database password': password,
    'JWT secret': JWT_SECRET,
  };
  for (const [name, secret] of Object.entries(secrets)) {
    for (const line of service.logLines) expect(line, `${name} in a log line`).not.toContain(secret);
    expect(metrics.text, `${name} on /metrics`).not.toContain(secret);
  }
  for (const line of service.logLines) expect(() => JSON.parse(line), line).not.toThrow();
  // The logs did see the requests: an access line per request, with the authorization header left out.
  expect(service.logLines.filter((line) => line.includes('"msg":"request"')).length).toBeGreaterThanOrEqual(5);
});
