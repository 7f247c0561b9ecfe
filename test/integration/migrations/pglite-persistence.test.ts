import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteKnex } from '../../../adapters/pglite/pglite-knex.ts';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import { temporaryDirectory } from '../../support/databases.ts';
import { LATEST_VERSION } from '../../support/migration-files.ts';
import { insertCategory } from './fixtures.ts';

describe('PGlite on a data directory', () => {
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;

  beforeAll(async () => {
    directory = await temporaryDirectory('listings-pglite-');
  });
  afterAll(async () => {
    await directory?.remove();
  });

  it('keeps the schema and rows across close and reopen', async () => {
    const first = await createPgliteKnex({ dataDir: directory.path });
    await new KnexSchemaMigrator(first).latest();
    const id = await insertCategory(first, 'kept');
    await first.destroy();

    const reopened = await createPgliteKnex({ dataDir: directory.path });
    try {
      expect(await reopened('c2c_categories').where({ id }).first()).toMatchObject({ slug: 'kept', level: 0 });
      const status = await new KnexSchemaMigrator(reopened).status();
      expect(status.pending).toEqual([]);
      expect(status.currentVersion).toBe(LATEST_VERSION);
      // The extensions are loaded again on reopen: earthdistance answers.
      const { rows } = (await reopened.raw(
        'SELECT round(earth_distance(ll_to_earth(0, 0), ll_to_earth(0, 1))) AS m',
      )) as {
        rows: { m: number }[];
      };
      expect(Number(rows[0]?.m)).toBe(111_320);
    } finally {
      await reopened.destroy();
    }
  });
});
