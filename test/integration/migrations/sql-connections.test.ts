import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresKnex } from '../../../adapters/postgres/postgres-knex.ts';
import { freshPglite, freshPostgres, TARGETS, type TestDatabase } from '../../support/databases.ts';

// The adapters must make one repository run unchanged on PostgreSQL and PGlite: same JS values, same knex results.

const VALUES_SQL = `
  SELECT 42::int8 AS id, 9007199254740993::int8 AS huge, count(*) AS n, 7::int4 AS small,
         12.50::numeric(15,2) AS price, ARRAY[1.5, 2]::numeric[] AS prices, ARRAY[1, 2]::int8[] AS ids,
         '2026-11-25 10:20:30.123+02'::timestamptz AS at, '2026-11-25 10:20:30.123'::timestamp AS naive,
         '2026-11-25'::date AS day, 'infinity'::timestamp AS forever,
         '{"a": [1, "x"]}'::jsonb AS doc, ARRAY['a', NULL]::text[] AS words, true AS flag,
         '6b9e1a3e-8d4f-4c55-9d4e-6f7a1f8b2c3d'::uuid AS uuid, NULL::text AS nothing
  FROM (VALUES (1), (2)) AS t(x)`;

const EXPECTED_VALUES = {
  id: 42,
  huge: 9007199254740993n,
  n: 2,
  small: 7,
  price: '12.50',
  prices: ['1.5', '2'],
  ids: [1, 2],
  at: new Date('2026-11-25T08:20:30.123Z'),
  naive: new Date('2026-11-25T10:20:30.123Z'),
  day: new Date('2026-11-25T00:00:00.000Z'),
  forever: Number.POSITIVE_INFINITY,
  doc: { a: [1, 'x'] },
  words: ['a', null],
  flag: true,
  uuid: '6b9e1a3e-8d4f-4c55-9d4e-6f7a1f8b2c3d',
  nothing: null,
};

describe.each(TARGETS)('knex on $kind', ({ open }) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await open();
    await db.knex.raw(`
      CREATE TABLE items (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, hits INT NOT NULL DEFAULT 0,
                          doc JSONB, at TIMESTAMPTZ);
      INSERT INTO items (name) VALUES ('a'), ('b'), ('c');
    `);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('reads values as adapters/sql/value-parsers.ts says', async () => {
    const { rows } = (await db.knex.raw(VALUES_SQL)) as { rows: unknown[] };
    expect(rows[0]).toEqual(EXPECTED_VALUES);
    const { rows: zone } = (await db.knex.raw('SHOW TimeZone')) as { rows: { TimeZone: string }[] };
    expect(zone[0]?.TimeZone).toBe('UTC');
  });

  it('binds values the node-postgres way', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const [row] = await db
      .knex('items')
      .insert({ name: 'd', doc: JSON.stringify({ tags: ['x'] }), at })
      .returning(['id', 'doc', 'at']);
    expect(row).toEqual({ id: 4, doc: { tags: ['x'] }, at });
    const { rows } = (await db.knex.raw('SELECT ?::int[] AS list, ?::text AS text, ?::bool AS yes', [
      [1, 2],
      5,
      true,
    ])) as { rows: unknown[] };
    expect(rows[0]).toEqual({ list: [1, 2], text: '5', yes: true });
  });

  it('returns knex results of the same shape', async () => {
    expect(await db.knex('items').where({ name: 'a' }).first('name')).toEqual({ name: 'a' });
    expect(await db.knex('items').orderBy('id').pluck('name')).toEqual(['a', 'b', 'c', 'd']);
    expect(await db.knex('items').where({ name: 'a' }).increment('hits', 2)).toBe(1);
    expect(await db.knex('items').whereIn('name', ['a', 'b']).update({ hits: 5 })).toBe(2);
    expect(await db.knex('items').where({ name: 'd' }).del()).toBe(1);
    expect(await db.knex('items').where({ name: 'zzz' }).del()).toBe(0);
    const [count] = await db.knex('items').count({ n: '*' });
    expect(count).toEqual({ n: 3 });
  });

  it('runs raw multi-statement scripts like PostgreSQL', async () => {
    const results = (await db.knex.raw('SELECT 1 AS one; SELECT 2 AS two')) as { rows: unknown[] }[];
    expect(results.map((result) => result.rows)).toEqual([[{ one: 1 }], [{ two: 2 }]]);
  });

  it('rolls a failed transaction back and reports the database error fields', async () => {
    const error = await db.knex
      .transaction(async (trx) => {
        await trx('items').insert({ name: 'e' });
        await trx('items').insert({ name: 'a' });
      })
      .catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: '23505', constraint: 'items_name_key', table: 'items' });
    expect(await db.knex('items').where({ name: 'e' })).toEqual([]);
  });

  it('serializes concurrent transactions', async () => {
    const bump = () =>
      db.knex.transaction(async (trx) => {
        const row = (await trx('items').where({ name: 'b' }).forUpdate().first('hits')) as { hits: number };
        await trx('items')
          .where({ name: 'b' })
          .update({ hits: row.hits + 1 });
      });
    await Promise.all(Array.from({ length: 10 }, bump));
    expect(await db.knex('items').where({ name: 'b' }).first('hits')).toEqual({ hits: 15 });
  });
});

describe('PostgreSQL connection settings', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshPostgres('listings_conn');
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('applies statement_timeout to every pooled connection', async () => {
    const limited = createPostgresKnex({ url: db.url as string, poolMax: 2, statementTimeoutMs: 200 });
    try {
      await expect(limited.raw('SELECT pg_sleep(1)')).rejects.toMatchObject({ code: '57014' });
      const { rows } = (await limited.raw('SHOW statement_timeout')) as { rows: { statement_timeout: string }[] };
      expect(rows[0]?.statement_timeout).toBe('200ms');
    } finally {
      await limited.destroy();
    }
  });
});

describe('PGlite lifecycle', () => {
  it('closes the database with knex.destroy()', async () => {
    const db = await freshPglite();
    const client = db.knex.client as { config: { pglite: { closed: boolean } } };
    await db.dispose();
    expect(client.config.pglite.closed).toBe(true);
  });
});
