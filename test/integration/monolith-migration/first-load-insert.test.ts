import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirstLoadInsert } from '../../../adapters/postgres/monolith/first-load-insert.ts';
import {
  StagedUpsert,
  type TargetTableSpec,
  type UpsertOutcome,
} from '../../../adapters/postgres/monolith/staged-upsert.ts';

const SPEC: TargetTableSpec = { table: 'first_load_probe', key: ['id'], listingColumn: 'listing_id' };

const ROWS = [
  { id: 1, listing_id: 10, title: 'Ćevapi 🍖\ttab\\slash\nline', slug: 'cevapi' },
  { id: 2, listing_id: 10, title: null, slug: 'second' },
  { id: 3, listing_id: 11, title: 'third', slug: 'third' },
];

interface Written {
  outcome: UpsertOutcome;
  rows: string[];
  /** What the AFTER INSERT statement trigger saw in its transition table, one line per statement. */
  triggered: string[];
  /** A row written in the same transaction before the write: it must survive a fallback. */
  before: number;
}

/**
 * FirstLoadInsert on a session temp table shaped like a target table: a primary key, a second unique key (as
 * listings.uuid / slug) and an AFTER INSERT statement trigger with a transition table (as the side-row copy's).
 */
describe('FirstLoadInsert: a first load copies straight in, and falls back to the staged upsert on a conflict', () => {
  let client: pg.Client;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: process.env.LISTINGS_TEST_POSTGRES_URL });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
  });

  async function probe(seed: readonly (readonly unknown[])[]): Promise<void> {
    await client.query(
      'DROP TABLE IF EXISTS pg_temp.first_load_probe, pg_temp.first_load_log, pg_temp.first_load_other',
    );
    await client.query(`CREATE TEMP TABLE first_load_probe
      (id int PRIMARY KEY, listing_id bigint NOT NULL, title text, slug text NOT NULL UNIQUE)`);
    await client.query('CREATE TEMP TABLE first_load_log (seen text)');
    await client.query('CREATE TEMP TABLE first_load_other (n int)');
    await client.query(`CREATE OR REPLACE FUNCTION pg_temp.first_load_seen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO first_load_log SELECT string_agg(id::text, ',' ORDER BY id) FROM new_rows;
        RETURN NULL;
      END $$`);
    await client.query(`CREATE TRIGGER first_load_probe_seen AFTER INSERT ON first_load_probe
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.first_load_seen()`);
    for (const row of seed) {
      await client.query('INSERT INTO first_load_probe (id, listing_id, title, slug) VALUES ($1, $2, $3, $4)', [
        ...row,
      ]);
    }
    await client.query('TRUNCATE first_load_log');
  }

  async function write(
    seed: readonly (readonly unknown[])[],
    writeRows: (upsert: StagedUpsert) => Promise<UpsertOutcome>,
  ): Promise<Written> {
    await probe(seed);
    await client.query('BEGIN');
    await client.query('INSERT INTO first_load_other VALUES (1)');
    const outcome = await writeRows(new StagedUpsert(client));
    await client.query('COMMIT');
    const lines = async (sql: string) => (await client.query<{ line: string }>(sql)).rows.map((row) => row.line);
    return {
      outcome: { ...outcome, listingIds: [...outcome.listingIds].sort() },
      rows: await lines('SELECT t::text AS line FROM first_load_probe t ORDER BY id'),
      triggered: await lines('SELECT seen AS line FROM first_load_log WHERE seen IS NOT NULL'),
      before: Number((await client.query('SELECT count(*) AS n FROM first_load_other')).rows[0]?.n),
    };
  }

  const staged = (seed: readonly (readonly unknown[])[]) => write(seed, (upsert) => upsert.upsert(SPEC, ROWS));

  it('copies rows the table lacks straight in, with the outcome and rows of the staged upsert', async () => {
    let insert: FirstLoadInsert | undefined;
    const direct = await write([], (upsert) => {
      insert = new FirstLoadInsert(client, upsert);
      return insert.write(
        SPEC,
        ROWS,
        ROWS.map((row) => upsert.encode(SPEC, row)),
      );
    });
    expect(insert?.paths).toEqual({ direct: 1, staged: 0 });
    expect(direct).toEqual(await staged([]));
    expect(direct.outcome).toEqual({ inserted: 3, updated: 0, unchanged: 0, listingIds: [10, 11] });
    expect(direct.triggered).toEqual(['1,2,3']);
  });

  it('rolls back to its savepoint on a key the table holds and writes what the staged upsert writes', async () => {
    const seed = [[2, 10, 'held', 'second']];
    let insert: FirstLoadInsert | undefined;
    const fallback = await write(seed, (upsert) => {
      insert = new FirstLoadInsert(client, upsert);
      return insert.write(SPEC, ROWS);
    });
    expect(insert?.paths).toEqual({ direct: 0, staged: 1 });
    expect(fallback).toEqual(await staged(seed));
    expect(fallback.outcome).toEqual({ inserted: 2, updated: 1, unchanged: 0, listingIds: [10, 11] });
    expect(fallback.before).toBe(1);
  });

  it('leaves a conflict the staged upsert cannot handle to fail as it would there (a slug that exists)', async () => {
    const seed = [[9, 12, 'other', 'third']];
    await expect(staged(seed)).rejects.toMatchObject({ code: '23505' });
    await client.query('ROLLBACK');
    const insert = new FirstLoadInsert(client, new StagedUpsert(client));
    await probe(seed);
    await client.query('BEGIN');
    await expect(insert.write(SPEC, ROWS)).rejects.toMatchObject({
      code: '23505',
      constraint: 'first_load_probe_slug_key',
    });
    await client.query('ROLLBACK');
    expect(insert.paths).toEqual({ direct: 0, staged: 1 });
  });

  it('throws an error that is no constraint violation without trying the staged upsert', async () => {
    const insert = new FirstLoadInsert(client, new StagedUpsert(client));
    await probe([]);
    await client.query('BEGIN');
    await expect(insert.write(SPEC, [{ ...ROWS[0], listing_id: 'not a number' }])).rejects.toMatchObject({
      code: '22P02',
    });
    await client.query('ROLLBACK');
    expect(insert.paths).toEqual({ direct: 0, staged: 0 });
  });
});
