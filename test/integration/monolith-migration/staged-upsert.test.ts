import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StagedUpsert, type TargetTableSpec } from '../../../adapters/postgres/monolith/staged-upsert.ts';

const SPEC: TargetTableSpec = { table: 'upsert_probe', key: ['id'] };

/** The staged upsert on a session temp table: rows encoded ahead of the write land exactly as rows encoded at it. */
describe('StagedUpsert with rows encoded ahead', () => {
  let client: pg.Client;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: process.env.LISTINGS_TEST_POSTGRES_URL });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
  });

  async function written(rowsOf: (upsert: StagedUpsert) => Promise<void>): Promise<string[]> {
    await client.query('DROP TABLE IF EXISTS pg_temp.upsert_probe');
    await client.query('CREATE TEMP TABLE upsert_probe (id int PRIMARY KEY, title text, sold boolean, price numeric)');
    await client.query('BEGIN');
    await rowsOf(new StagedUpsert(client));
    await client.query('COMMIT');
    const result = await client.query<{ line: string }>(
      'SELECT (id, title, sold, price)::text AS line FROM upsert_probe ORDER BY id',
    );
    return result.rows.map((row) => row.line);
  }

  const rows = [
    { id: 1, title: 'Ćevapi 🍖\ttab\\slash\nline', sold: true, price: '12.50' },
    { id: 2, title: null, sold: false, price: null },
  ];

  it('writes the same rows whether they were encoded ahead or at the write', async () => {
    const atWrite = await written(async (upsert) => {
      await upsert.upsert(SPEC, rows);
    });
    const ahead = await written(async (upsert) => {
      await upsert.upsert(
        SPEC,
        rows,
        rows.map((row) => upsert.encode(SPEC, row)),
      );
    });
    expect(atWrite).toEqual(['(1,"Ćevapi 🍖\ttab\\\\slash\nline",t,12.50)', '(2,,f,)']);
    expect(ahead).toEqual(atWrite);
  });

  it("lays a batch out in its first row's columns when the encodings used others", async () => {
    const lines = await written(async (upsert) => {
      // The encoder fixed this table's columns from a row without `price`; the batch's first row has it.
      const encoded = [{ id: 1, title: 'old', sold: false }, ...rows.slice(1)].map((row) => upsert.encode(SPEC, row));
      await upsert.upsert(SPEC, rows, encoded);
    });
    expect(lines).toEqual(['(1,"Ćevapi 🍖\ttab\\\\slash\nline",t,12.50)', '(2,,f,)']);
  });
});
