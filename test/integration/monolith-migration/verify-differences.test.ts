import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyReport } from '../../../src/monolith-migration/verify/verify-report.ts';
import type { MonolithDatabase } from '../../fixtures/monolith/monolith-database.ts';
import type { TestDatabase } from '../../support/databases.ts';
import { cloneDatabase, named, verify } from './verify-world.ts';
import { freshTarget, migrate, monolith, rows } from './world.ts';

/** Rows of the migrated target the cases edit, found once. */
interface Subjects {
  /** An active C2C listing with at least two images and a favorite. */
  listing: string;
  images: [string, string];
  /** Another active listing, for the status, price and delete cases. */
  other: string;
}

async function subjects(knex: Knex): Promise<Subjects> {
  const [row] = await rows<{ id: string; a: string; b: string }>(
    knex,
    `SELECT l.id::text AS id, min(i.id)::text AS a, max(i.id)::text AS b
     FROM listings l JOIN listing_images i ON i.listing_id = l.id
     WHERE l.status = 'active' AND l.source_type = 'c2c' AND EXISTS (SELECT 1 FROM c2c_favorites f WHERE f.listing_id = l.id)
     GROUP BY l.id HAVING count(*) >= 2 ORDER BY l.id LIMIT 1`,
  );
  const [other] = await rows<{ id: string }>(
    knex,
    `SELECT id::text AS id FROM listings WHERE status = 'active' AND id <> ? ORDER BY id DESC LIMIT 1`,
    [row?.id ?? 0],
  );
  if (!row || !other) throw new Error('the fixture has no listing with two images and a favorite');
  return { listing: row.id, images: [row.a, row.b], other: other.id };
}

describe('migrate-from-monolith verify catches a hand-made difference with the right layer', () => {
  let source: MonolithDatabase;
  let template: TestDatabase & { url: string };
  let ids: Subjects;

  beforeAll(async () => {
    source = await monolith();
    template = await freshTarget();
    await migrate(source.url, template.url);
    ids = await subjects(template.knex);
    // The template of every case's copy: no connection may stay open on it.
    await template.knex.destroy();
  }, 240_000);
  afterAll(async () => {
    await template?.dispose();
    await source?.dispose();
  });

  /** Verifies a fresh copy of the migrated target after `edit`. */
  async function verifyAfter(edit: (knex: Knex) => Promise<unknown>): Promise<VerifyReport> {
    const copy = await cloneDatabase(template.url);
    try {
      await edit(copy.knex);
      const report = await verify(source.url, copy.url);
      expect(report.ok).toBe(false);
      expect(report.differences_total).toBeGreaterThan(0);
      return report;
    } finally {
      await copy.dispose();
    }
  }

  it('a changed title: key-column checksum and sample name the listing and the field', async () => {
    const report = await verifyAfter((knex) =>
      knex.raw(`UPDATE listings SET title = 'Changed by hand' WHERE id = ?`, [ids.listing]),
    );
    expect(named(report, 'checksums')).toContain(`listings ${ids.listing} title`);
    expect(report.differences).toContainEqual(
      expect.objectContaining({
        layer: 'sample',
        table: 'listings',
        id: ids.listing,
        field: 'title',
        actual: 'Changed by hand',
      }),
    );
    expect(named(report, 'counts')).toEqual([]);
    expect(named(report, 'id_sets')).toEqual([]);
  }, 120_000);

  it('a deleted image: counts, id sets, images per listing, checksums and sample', async () => {
    const [image] = ids.images;
    const report = await verifyAfter((knex) => knex.raw('DELETE FROM listing_images WHERE id = ?', [image]));
    expect(named(report, 'counts')).toContain(`listing_images ${image} (row)`);
    expect(named(report, 'id_sets')).toContain(`listing_images ${image} (row)`);
    expect(named(report, 'sums')).toEqual([`listing_images ${ids.listing} images per listing`]);
    expect(named(report, 'checksums')).toContain(`listing_images ${image} (row)`);
    expect(named(report, 'sample')).toContain(`listing_images ${image} (row)`);
  }, 120_000);

  it('reordered images: display_order of both images, in checksums and sample; counts and sums agree', async () => {
    const [a, b] = ids.images;
    const report = await verifyAfter((knex) =>
      knex.raw(
        `UPDATE listing_images i SET display_order = o.display_order
         FROM listing_images o WHERE (i.id, o.id) IN ((?::bigint, ?::bigint), (?::bigint, ?::bigint))`,
        [a, b, b, a],
      ),
    );
    expect(named(report, 'checksums')).toEqual(
      expect.arrayContaining([`listing_images ${a} display_order`, `listing_images ${b} display_order`]),
    );
    expect(named(report, 'sample')).toEqual(
      expect.arrayContaining([`listing_images ${a} display_order`, `listing_images ${b} display_order`]),
    );
    expect(named(report, 'counts')).toEqual([]);
    expect(named(report, 'sums')).toEqual([]);
  }, 120_000);

  it('an extra favorite: favorites per listing, checksums and sample name it', async () => {
    const report = await verifyAfter((knex) =>
      knex.raw('INSERT INTO c2c_favorites (user_id, listing_id, created_at) VALUES (987654, ?, now())', [ids.listing]),
    );
    expect(named(report, 'sums')).toEqual([`c2c_favorites ${ids.listing} favorites per listing`]);
    expect(named(report, 'checksums')).toContain(`c2c_favorites 987654:${ids.listing} (row)`);
    expect(named(report, 'sample')).toContain(`c2c_favorites 987654:${ids.listing} (row)`);
    expect(named(report, 'counts')).toEqual([]);
  }, 120_000);

  it('a changed price: sums and checksums name the listing and price', async () => {
    const report = await verifyAfter((knex) =>
      knex.raw('UPDATE listings SET price = price + 1 WHERE id = ?', [ids.other]),
    );
    expect(named(report, 'sums')).toEqual([`listings ${ids.other} price`]);
    expect(named(report, 'checksums')).toContain(`listings ${ids.other} price`);
    expect(named(report, 'status_matrix')).toEqual([]);
  }, 120_000);

  it('a deleted listing: counts, id sets, sums, status matrix and checksums miss it', async () => {
    const report = await verifyAfter((knex) => knex.raw('DELETE FROM listings WHERE id = ?', [ids.other]));
    expect(named(report, 'counts')).toContain(`listings ${ids.other} (row)`);
    expect(named(report, 'id_sets')).toContain(`listings ${ids.other} (row)`);
    expect(named(report, 'sums')).toContain(`listings ${ids.other} (row)`);
    expect(named(report, 'status_matrix')).toEqual([`listings ${ids.other} status`]);
    expect(named(report, 'checksums')).toContain(`listings ${ids.other} (row)`);
  }, 120_000);

  it('a changed status: the status matrix names the listing, expected active', async () => {
    const report = await verifyAfter((knex) =>
      knex.raw(`UPDATE listings SET status = 'inactive' WHERE id = ?`, [ids.other]),
    );
    expect(report.differences).toContainEqual({
      layer: 'status_matrix',
      table: 'listings',
      id: ids.other,
      field: 'status',
      expected: 'active',
      actual: 'inactive',
    });
    const differing = report.status_matrix.filter((cell) => cell.source !== cell.target);
    expect(differing.map((cell) => cell.status).sort()).toEqual(['active', 'inactive']);
    expect(named(report, 'checksums')).toContain(`listings ${ids.other} status`);
  }, 120_000);

  it('a source row changed after the run: its hash no longer matches, and the target still has the old title', async () => {
    const [before] = await rows<{ title: string }>(source.knex, 'SELECT title FROM c2c_listings WHERE id = ?', [
      ids.listing,
    ]);
    await source.knex.raw(`UPDATE c2c_listings SET title = 'Changed at the source' WHERE id = ?`, [ids.listing]);
    try {
      const copy = await cloneDatabase(template.url);
      try {
        const report = await verify(source.url, copy.url);
        expect(report.ok).toBe(false);
        expect(named(report, 'source_changes')).toEqual([`c2c_listings ${ids.listing} source_hash`]);
        expect(report.differences).toContainEqual(
          expect.objectContaining({
            layer: 'checksums',
            table: 'listings',
            id: ids.listing,
            field: 'title',
            expected: 'Changed at the source',
            actual: before?.title,
          }),
        );
        expect(named(report, 'counts')).toEqual([]);
      } finally {
        await copy.dispose();
      }
    } finally {
      await source.knex.raw('UPDATE c2c_listings SET title = ? WHERE id = ?', [before?.title ?? null, ids.listing]);
    }
  }, 120_000);
});
