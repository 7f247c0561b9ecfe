import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgMonolithSource } from '../../../adapters/postgres/monolith/pg-monolith-source.ts';
import type { MonolithSnapshot, SourceBatch, SourceRecords } from '../../../ports/monolith-source.ts';
import type { SourceTable } from '../../../src/monolith-migration/mapping/index.ts';
import type { MonolithDatabase } from '../../fixtures/monolith/monolith-database.ts';
import { monolith, rows } from './world.ts';

const TABLES: readonly SourceTable[] = [
  'c2c_categories',
  'b2c_stores',
  'c2c_listings',
  'b2c_products',
  'c2c_images',
  'b2c_product_images',
  'c2c_listing_variants',
  'b2c_product_variants',
  'b2c_product_variant_images',
  'b2c_product_attributes',
  'c2c_favorites',
  'b2c_favorites',
  'b2c_inventory_movements',
  'unified_attribute_values',
  'unified_geo',
  'translations',
];

/** The source keys of one record (an image group holds several rows). */
function keysOf(table: SourceTable, record: SourceRecords[SourceTable]): string[] {
  const value = record as unknown as Record<string, unknown>;
  if (table === 'c2c_images' || table === 'b2c_product_images') {
    return (value.rows as { id: number }[]).map((row) => String(row.id));
  }
  if (table === 'c2c_favorites') return [`${value.user_id}:${value.listing_id}`];
  if (table === 'b2c_favorites') return [`${value.user_id}:${value.product_id}`];
  const row = (value.row ?? value) as { id: number | string };
  return [String(row.id)];
}

describe('the monolith source reader', () => {
  let source: MonolithDatabase;
  let snapshot: MonolithSnapshot;

  beforeAll(async () => {
    source = await monolith({ rows: 120, seed: 16 });
    // Geo ids of several digit counts: keyset order must be numeric, never the text order of `id::text`.
    const listings = await rows<{ id: number }>(
      source.knex,
      `SELECT id FROM c2c_listings l WHERE NOT EXISTS (
         SELECT 1 FROM unified_geo g WHERE g.source_id = l.id AND g.source_type::text IN ('c2c_listing', 'marketplace_listing'))
       ORDER BY id LIMIT 3`,
    );
    for (const [i, id] of [900_000, 99_999, 1_000_001].entries()) {
      await source.knex.raw(
        `INSERT INTO unified_geo (id, source_type, source_id, location, geohash, privacy_level)
         VALUES (?, 'c2c_listing', ?, ST_GeogFromText('POINT(20.46 44.81)'), 'srywc', 'street')`,
        [id, Number(listings[i]?.id)],
      );
    }
    snapshot = await new PgMonolithSource(source.url).openSnapshot({ sourceZone: source.manifest.zone });
  }, 240_000);
  afterAll(async () => {
    await snapshot?.close();
    await source?.dispose();
  });

  it.each(TABLES)(
    'reads every row of %s exactly once in small keyset batches, as its key scan and count say',
    async (table) => {
      const read: string[] = [];
      let after: string | null = null;
      let batches = 0;
      do {
        const batch: SourceBatch<SourceRecords[SourceTable]> = await snapshot.read(table, {
          after,
          limit: 7,
          since: null,
        });
        for (const record of batch.records) read.push(...keysOf(table, record));
        after = batch.next;
        batches++;
      } while (after !== null);
      const scanned: string[] = [];
      for await (const keys of snapshot.keys(table, 11)) scanned.push(...keys);
      expect(new Set(read).size).toBe(read.length);
      expect([...read].sort()).toEqual([...scanned].sort());
      expect(read.length).toBe(await snapshot.count(table, null));
      expect(read.length).toBeGreaterThan(0);
      if (read.length > 14) expect(batches).toBeGreaterThan(2);
    },
  );

  it('reports the shape and zones it found', () => {
    expect(snapshot.shape).toMatchObject({ name: source.manifest.shape, hasGeo: source.manifest.geo });
    expect(snapshot.serverZone).toBe(source.manifest.zone);
    expect(snapshot.snapshotTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
  });
});
