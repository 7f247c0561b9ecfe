import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PgSearchIndex } from '../../../adapters/pgsearch/pg-search-index.ts';
import { PgSearchMaintenance } from '../../../adapters/pgsearch/pg-search-maintenance.ts';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import * as searchMigration from '../../../migrations/20261125000010_listing_search.ts';
import * as hashMigration from '../../../migrations/20261126040000_listing_search_document_hash.ts';
import { describeSearchIndexContract } from '../../contracts/search-index.contract.ts';
import { TARGETS } from '../../support/databases.ts';
import { searchDocument } from './search-fixtures.ts';

// The PostgreSQL search index on the real PostgreSQL 15 and on PGlite (PostgreSQL 18), one fresh database each.
for (const target of TARGETS) {
  describeSearchIndexContract(`pgsearch on ${target.kind}`, async () => {
    const db = await target.open();
    await new KnexSchemaMigrator(db.knex).latest();
    const index = new PgSearchIndex({ knex: db.knex });
    return {
      index,
      async reset() {
        const side = (await db.knex.raw(
          `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename ~ '^listing_search_[vr][0-9]+$'`,
        )) as { rows: { tablename: string }[] };
        for (const { tablename } of side.rows) await db.knex.raw(`DROP TABLE ${tablename}`);
        await db.knex.raw('TRUNCATE listing_search');
        await index.ensureIndex();
      },
      dispose: () => db.dispose(),
    };
  });
}

describe.each(TARGETS)('pgsearch text configurations on $kind', ({ open }) => {
  it('has russian and serbian (the Serbian stemmer reads Cyrillic as Latin)', async () => {
    const db = await open();
    try {
      const found = (await db.knex.raw(
        `SELECT cfgname::text AS name FROM pg_ts_config WHERE cfgname IN ('russian', 'serbian', 'simple') ORDER BY 1`,
      )) as { rows: { name: string }[] };
      expect(found.rows.map((row) => row.name)).toEqual(['russian', 'serbian', 'simple']);
      const stems = (await db.knex.raw(
        `SELECT to_tsvector('serbian', 'Станови stanovi stanova kuća kuće')::text AS serbian,
                to_tsvector('russian', 'квартиры квартира')::text AS russian`,
      )) as { rows: { serbian: string; russian: string }[] };
      expect(stems.rows[0]).toEqual({ serbian: "'kuć':4,5 'stanov':1,2,3", russian: "'квартир':1,2" });
    } finally {
      await db.dispose();
    }
  });
});

describe.each(TARGETS)('migration 20261125000010 on $kind', ({ open }) => {
  it('is reversible: down drops listing_search and every shadow and retired table, up restores it', async () => {
    const db = await open();
    try {
      await new KnexSchemaMigrator(db.knex).latest();
      const index = new PgSearchIndex({ knex: db.knex });
      await index.swapAlias(await index.createVersionedIndex(), { keep: 1 });
      await index.createVersionedIndex();
      const searchTables = async () =>
        (
          (await db.knex.raw(
            `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'listing\\_search%' ORDER BY 1`,
          )) as { rows: { tablename: string }[] }
        ).rows.map((row) => row.tablename);
      expect(await searchTables()).toEqual(['listing_search', 'listing_search_r2', 'listing_search_v3']);
      await searchMigration.down(db.knex);
      expect(await searchTables()).toEqual([]);
      await searchMigration.up(db.knex);
      expect(await searchTables()).toEqual(['listing_search']);
      // The later migrations that change the table, as `migrate latest` would run them again.
      await hashMigration.up(db.knex);
      expect(await index.upsert([searchDocument(1)])).toEqual([{ id: 1, status: 'ok' }]);
    } finally {
      await db.dispose();
    }
  });
});

describe.each(TARGETS)('pgsearch upserts of documents it already holds on $kind', ({ open }) => {
  it('answers ok without rewriting the row; a changed document or a tombstone at the same version is written', async () => {
    const db = await open();
    try {
      await new KnexSchemaMigrator(db.knex).latest();
      const index = new PgSearchIndex({ knex: db.knex });
      const stored = async () =>
        (
          (await db.knex.raw(
            'SELECT listing_id, version, removed, title, xmin::text AS xmin FROM listing_search ORDER BY listing_id',
          )) as { rows: { listing_id: number; version: number; removed: boolean; title: string; xmin: string }[] }
        ).rows.map((row) => ({ ...row, listing_id: Number(row.listing_id), version: Number(row.version) }));
      const [one, two, three] = [searchDocument(1, { version: 2 }), searchDocument(2), searchDocument(3)];
      expect(await index.upsert([one, two, three])).toEqual([
        { id: 1, status: 'ok' },
        { id: 2, status: 'ok' },
        { id: 3, status: 'ok' },
      ]);
      await index.remove([{ id: 3, version: 1 }]);
      const before = await stored();

      // The same documents again: done, and no row version was written (same xmin).
      const again = await index.upsert([one, two, searchDocument(1, { version: 1 })]);
      expect(again).toEqual([
        { id: 1, status: 'ok' },
        { id: 2, status: 'ok' },
        { id: 1, status: 'stale' },
      ]);
      expect(await stored()).toEqual(before);

      // Same version, another document (a counter changed) and a tombstone at the same version: both written.
      const edited = { ...two, title: 'Sto od oraha' };
      expect(await index.upsert([edited, three])).toEqual([
        { id: 2, status: 'ok' },
        { id: 3, status: 'ok' },
      ]);
      const after = await stored();
      expect(after.map(({ listing_id, removed, title }) => [listing_id, removed, title])).toEqual([
        [1, false, one.title],
        [2, false, 'Sto od oraha'],
        [3, false, three.title],
      ]);
      expect(after[0]?.xmin).toBe(before[0]?.xmin);
      expect(after[1]?.xmin).not.toBe(before[1]?.xmin);
    } finally {
      await db.dispose();
    }
  });
});

describe.each(TARGETS)('migration 20261126040000 on $kind', ({ open }) => {
  it('adds document_hash to listing_search and to the shadow and retired tables present; down removes it', async () => {
    const db = await open();
    try {
      await new KnexSchemaMigrator(db.knex).latest();
      const index = new PgSearchIndex({ knex: db.knex });
      await index.swapAlias(await index.createVersionedIndex(), { keep: 1 });
      await index.createVersionedIndex();
      const hashed = async () =>
        (
          (await db.knex.raw(
            `SELECT table_name::text AS name FROM information_schema.columns
             WHERE table_schema = current_schema() AND column_name = 'document_hash' ORDER BY 1`,
          )) as { rows: { name: string }[] }
        ).rows.map((row) => row.name);
      expect(await hashed()).toEqual(['listing_search', 'listing_search_r2', 'listing_search_v3']);
      await hashMigration.down(db.knex);
      expect(await hashed()).toEqual([]);
      await hashMigration.up(db.knex);
      expect(await hashed()).toEqual(['listing_search', 'listing_search_r2', 'listing_search_v3']);
    } finally {
      await db.dispose();
    }
  });
});

describe.each(TARGETS)('pgsearch document hashes on $kind', ({ open }) => {
  it('rewrites a row whose stored hash is missing or differs, once, then leaves it alone', async () => {
    const db = await open();
    try {
      await new KnexSchemaMigrator(db.knex).latest();
      const index = new PgSearchIndex({ knex: db.knex });
      const row = async (id: number) =>
        (
          (await db.knex.raw('SELECT document_hash, xmin::text AS xmin FROM listing_search WHERE listing_id = ?', [
            id,
          ])) as { rows: { document_hash: string | null; xmin: string }[] }
        ).rows[0];
      const [one, two] = [searchDocument(1), searchDocument(2)];
      await index.upsert([one, two]);
      const written = { one: await row(1), two: await row(2) };
      expect(written.one?.document_hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      // As a row written before the column existed, and one whose hash does not match its document.
      await db.knex.raw(`UPDATE listing_search SET document_hash = NULL WHERE listing_id = 1`);
      await db.knex.raw(`UPDATE listing_search SET document_hash = 'other' WHERE listing_id = 2`);
      const cleared = { one: await row(1), two: await row(2) };

      expect(await index.upsert([one, two])).toEqual([
        { id: 1, status: 'ok' },
        { id: 2, status: 'ok' },
      ]);
      const rewritten = { one: await row(1), two: await row(2) };
      expect(rewritten.one?.document_hash).toBe(written.one?.document_hash);
      expect(rewritten.two?.document_hash).toBe(written.two?.document_hash);
      expect(rewritten.one?.xmin).not.toBe(cleared.one?.xmin);
      expect(rewritten.two?.xmin).not.toBe(cleared.two?.xmin);

      expect(await index.upsert([one, two])).toEqual([
        { id: 1, status: 'ok' },
        { id: 2, status: 'ok' },
      ]);
      expect(await row(1)).toEqual(rewritten.one);
      expect(await row(2)).toEqual(rewritten.two);
    } finally {
      await db.dispose();
    }
  });
});

describe.each(TARGETS)('pgsearch rows written before the document JSON was the shared form, on $kind', ({ open }) => {
  it('reads them back as their document, rewrites each once in the new form, then leaves it alone', async () => {
    const db = await open();
    try {
      await new KnexSchemaMigrator(db.knex).latest();
      const index = new PgSearchIndex({ knex: db.knex });
      const maintenance = new PgSearchMaintenance({ knex: db.knex });
      const document = searchDocument(5, { publishedAt: new Date('2026-03-04T05:06:07.089Z') });
      const row = async () =>
        (
          (await db.knex.raw(
            `SELECT (document -> 'category_id') IS NOT NULL AS shared, document_hash, xmin::text AS xmin
             FROM listing_search WHERE listing_id = 5`,
          )) as { rows: { shared: boolean; document_hash: string; xmin: string }[] }
        ).rows[0];
      await index.upsert([document]);
      const written = await row();
      expect(written?.shared).toBe(true);
      // The previous form: the SearchDocument's own JSON (camelCase, minor units) and the hash of that text.
      const legacy = JSON.stringify(document);
      await db.knex.raw('UPDATE listing_search SET document = ?::jsonb, document_hash = ? WHERE listing_id = 5', [
        legacy,
        hash('sha256', legacy, 'base64'),
      ]);
      const before = await row();
      expect(before?.shared).toBe(false);
      expect((await maintenance.getDocuments([5]))[0]?.document).toEqual(document);

      expect(await index.upsert([document])).toEqual([{ id: 5, status: 'ok' }]);
      const rewritten = await row();
      expect(rewritten?.shared).toBe(true);
      expect(rewritten?.document_hash).toBe(written?.document_hash);
      expect(rewritten?.xmin).not.toBe(before?.xmin);
      expect((await maintenance.getDocuments([5]))[0]?.document).toEqual(document);

      expect(await index.upsert([document])).toEqual([{ id: 5, status: 'ok' }]);
      expect(await row()).toEqual(rewritten);
    } finally {
      await db.dispose();
    }
  });
});
