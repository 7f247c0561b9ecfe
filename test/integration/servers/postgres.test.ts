import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresUrl } from '../../support/servers.ts';

// Proves the server behind LISTINGS_TEST_POSTGRES_URL is a real PostgreSQL 15 with the contrib
// extensions the project relies on. Extensions are created in a throwaway database so other
// suites sharing the server are not affected.
const database = `servers_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
let admin: pg.Client | undefined;
let client: pg.Client | undefined;

function urlFor(name: string): string {
  const url = new URL(postgresUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

// Connects on first use inside a test (not in beforeAll), so a missing server fails the tests.
async function db(): Promise<pg.Client> {
  if (client) return client;
  admin = new pg.Client({ connectionString: postgresUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  client = new pg.Client({ connectionString: urlFor(database) });
  await client.connect();
  return client;
}

afterAll(async () => {
  await client?.end();
  await admin?.query(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
  await admin?.end().catch(() => undefined);
});

describe('PostgreSQL server', () => {
  it('is PostgreSQL 15', async () => {
    const { rows } = await (await db()).query<{ version: string }>('SELECT version()');
    expect(rows[0]?.version).toMatch(/^PostgreSQL 15\./);
    const num = await (await db()).query<{ server_version_num: string }>('SHOW server_version_num');
    expect(Number(num.rows[0]?.server_version_num)).toBeGreaterThanOrEqual(150000);
    expect(Number(num.rows[0]?.server_version_num)).toBeLessThan(160000);
  });

  it('creates and uses the contrib extensions pg_trgm, cube, earthdistance and uuid-ossp', async () => {
    const client = await db();
    for (const extension of ['pg_trgm', 'cube', 'earthdistance', '"uuid-ossp"']) {
      await client.query(`CREATE EXTENSION IF NOT EXISTS ${extension}`);
    }
    const { rows: installed } = await client.query<{ extname: string }>(
      'SELECT extname FROM pg_extension ORDER BY extname',
    );
    expect(installed.map((row) => row.extname)).toEqual(
      expect.arrayContaining(['cube', 'earthdistance', 'pg_trgm', 'uuid-ossp']),
    );

    const { rows } = await client.query<{ similarity: number; km: number; id: string }>(
      `SELECT similarity('квартира', 'квартиры') AS similarity,
              earth_distance(ll_to_earth(55.7558, 37.6173), ll_to_earth(59.9343, 30.3351)) / 1000 AS km,
              uuid_generate_v4()::text AS id`,
    );
    const row = rows[0]!;
    expect(row.similarity).toBeGreaterThan(0.3);
    // Moscow to Saint Petersburg is about 634 km as the crow flies.
    expect(row.km).toBeGreaterThan(600);
    expect(row.km).toBeLessThan(670);
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
