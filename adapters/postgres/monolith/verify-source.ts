import type pg from 'pg';
import type {
  ExcludedKeys,
  IdBucket,
  IdSetTable,
  ListingFigures,
  MonolithVerificationSnapshot,
  MonolithVerificationSource,
} from '../../../ports/monolith-verification.ts';
import {
  SECONDARY_ID_OFFSET,
  type SourceTable,
  VERIFY_BUCKET_SIZE,
} from '../../../src/monolith-migration/mapping/index.ts';
import { connectTextClient } from './session.ts';

/** The source ids of each id-set table, offset as the mapping offsets them (§3.1); `$n` arrays exclude rejects. */
const ID_SOURCES: Readonly<Record<IdSetTable, readonly { readonly table: SourceTable; readonly offset: number }[]>> = {
  listings: [
    { table: 'c2c_listings', offset: 0 },
    { table: 'b2c_products', offset: 0 },
  ],
  listing_images: [
    { table: 'c2c_images', offset: 0 },
    { table: 'b2c_product_images', offset: SECONDARY_ID_OFFSET },
  ],
  storefronts: [{ table: 'b2c_stores', offset: 0 }],
  c2c_categories: [{ table: 'c2c_categories', offset: 0 }],
  b2c_product_variants: [
    { table: 'b2c_product_variants', offset: 0 },
    { table: 'c2c_listing_variants', offset: SECONDARY_ID_OFFSET },
  ],
};

function idsSql(table: IdSetTable, excluded: ExcludedKeys): { sql: string; params: number[][] } {
  const parts = ID_SOURCES[table];
  return {
    // NOT IN over an uncorrelated subquery: one hashed set, not a scan of the array per row.
    sql: parts
      .map(
        (p, i) =>
          `SELECT id::bigint + ${p.offset} AS id FROM ${p.table} WHERE id NOT IN (SELECT unnest($${i + 1}::int[]))`,
      )
      .join(' UNION ALL '),
    params: parts.map((p) => [...(excluded[p.table] ?? [])]),
  };
}

/** The source side of verify's independent layers: its own `REPEATABLE READ, READ ONLY` snapshot. */
export class PgVerificationSource implements MonolithVerificationSource {
  readonly #dsn: string;

  constructor(dsn: string) {
    this.#dsn = dsn;
  }

  async open(): Promise<MonolithVerificationSnapshot> {
    const { client } = await connectTextClient(this.#dsn, 'listings migrate-from-monolith verify (source)');
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    return new PgVerificationSnapshot(client);
  }
}

class PgVerificationSnapshot implements MonolithVerificationSnapshot {
  readonly #client: pg.Client;

  constructor(client: pg.Client) {
    this.#client = client;
  }

  async idBuckets(table: IdSetTable, excluded: ExcludedKeys): Promise<Map<number, IdBucket>> {
    const { sql, params } = idsSql(table, excluded);
    const result = await this.#client.query<{ bucket: string; rows: number; md5: string }>(
      `SELECT id / ${VERIFY_BUCKET_SIZE} AS bucket, count(*)::int AS rows, md5(string_agg(id::text, ',' ORDER BY id)) AS md5
       FROM (${sql}) q GROUP BY 1 ORDER BY 1`,
      params,
    );
    return new Map(result.rows.map((row) => [Number(row.bucket), { rows: row.rows, md5: row.md5 }]));
  }

  async bucketIds(table: IdSetTable, bucket: number, excluded: ExcludedKeys): Promise<number[]> {
    const { sql, params } = idsSql(table, excluded);
    const result = await this.#client.query<{ id: string }>(
      `SELECT id FROM (${sql}) q WHERE id / ${VERIFY_BUCKET_SIZE} = $${params.length + 1} ORDER BY id`,
      [...params, bucket],
    );
    return result.rows.map((row) => Number(row.id));
  }

  async listingFigures(
    ids: readonly number[],
    settings: { readonly priceFallback: string | null; readonly excluded: ExcludedKeys },
  ): Promise<Map<number, ListingFigures>> {
    const price = `(CASE WHEN price IS NULL OR price <= 0 THEN $2::numeric ELSE price END)::numeric(15,2)::text`;
    const listings = await this.#client.query<{ id: number; price: string | null; views: number }>(
      `SELECT id, ${price} AS price, coalesce(views_count, 0) AS views FROM c2c_listings WHERE id = ANY($1::int[])
       UNION ALL
       SELECT id, ${price} AS price, view_count AS views FROM b2c_products WHERE id = ANY($1::int[])`,
      [ids, settings.priceFallback],
    );
    const images = await this.#counts(
      `SELECT listing_id AS id, count(*)::int AS n FROM c2c_images
       WHERE listing_id = ANY($1::int[]) AND id NOT IN (SELECT unnest($2::int[])) GROUP BY 1
       UNION ALL
       SELECT storefront_product_id, count(*)::int FROM b2c_product_images
       WHERE storefront_product_id = ANY($1::int[]) AND id NOT IN (SELECT unnest($3::int[])) GROUP BY 1`,
      [ids, settings.excluded.c2c_images ?? [], settings.excluded.b2c_product_images ?? []],
    );
    const favorites = await this.#counts(
      `SELECT listing_id AS id, count(*)::int AS n FROM c2c_favorites WHERE listing_id = ANY($1::int[]) GROUP BY 1
       UNION ALL
       SELECT product_id, count(*)::int FROM b2c_favorites WHERE product_id = ANY($1::int[]) GROUP BY 1`,
      [ids],
    );
    return new Map(
      listings.rows.map((row) => [
        row.id,
        {
          price: row.price,
          viewCount: row.views,
          images: images.get(row.id) ?? 0,
          favorites: favorites.get(row.id) ?? 0,
        },
      ]),
    );
  }

  async #counts(sql: string, params: unknown[]): Promise<Map<number, number>> {
    const result = await this.#client.query<{ id: number; n: number }>(sql, params);
    const out = new Map<number, number>();
    for (const row of result.rows) out.set(row.id, (out.get(row.id) ?? 0) + row.n);
    return out;
  }

  async close(): Promise<void> {
    await this.#client.query('ROLLBACK').catch(() => undefined);
    await this.#client.end().catch(() => undefined);
  }
}
