import type pg from 'pg';
import type {
  BookedRows,
  BucketDigest,
  IdBucket,
  IdSetTable,
  ListingFigures,
  MonolithVerificationTarget,
  RejectEntry,
  SampledListing,
  SampledRow,
  VerifiedRun,
} from '../../../ports/monolith-verification.ts';
import { AppError } from '../../../src/domain/errors.ts';
import {
  KEY_SPECS,
  type TargetTable,
  VERIFY_BUCKET_SIZE,
  type VerifiedTable,
} from '../../../src/monolith-migration/mapping/index.ts';
import { connectTextClient, redactDsn } from './session.ts';
import { canonicalTimestamp, TARGET_KEY, TARGET_SCOPE } from './verify-scopes.ts';

const UTC_TEXT = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const TIMESTAMP_TYPES = new Set([1114, 1184]);
const WORD = (n: number) => `sum(('x' || substr(m, ${1 + (n - 1) * 8}, 8))::bit(32)::bigint)::text AS w${n}`;

/** MonolithVerificationTarget on one node-postgres connection: plain reads, nothing written (not even temp tables). */
export class PgVerificationTarget implements MonolithVerificationTarget {
  readonly location: string;
  readonly #client: pg.Client;

  private constructor(client: pg.Client, location: string) {
    this.#client = client;
    this.location = location;
  }

  static async connect(dsn: string): Promise<PgVerificationTarget> {
    const { client } = await connectTextClient(dsn, 'listings migrate-from-monolith verify');
    await client.query('SET default_transaction_read_only = on');
    return new PgVerificationTarget(client, redactDsn(dsn));
  }

  async #rows<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.#client.query<R>(sql, params)).rows;
  }

  async run(runId: string | null): Promise<VerifiedRun | null> {
    if (runId !== null && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(runId)) {
      throw new AppError('USAGE_INVALID', `--run must be a run id (a UUID), got "${runId}"`);
    }
    const where = runId === null ? `status = 'completed' AND mode IN ('full', 'catch-up')` : 'run_id = $1';
    const [row] = await this.#rows<{
      run_id: string;
      mode: string;
      status: string;
      started_at: string;
      finished_at: string | null;
      source_zone: string;
      source_shape: string | null;
      options: string | null;
      counts: string | null;
    }>(
      `SELECT run_id, mode, status, ${UTC_TEXT('started_at')} AS started_at, ${UTC_TEXT('finished_at')} AS finished_at,
              source_zone, source_shape, options, counts
       FROM monolith_migration.runs WHERE ${where} ORDER BY started_at DESC LIMIT 1`,
      runId === null ? [] : [runId],
    );
    if (row === undefined) return null;
    return {
      runId: row.run_id,
      mode: row.mode,
      status: row.status,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      sourceZone: row.source_zone,
      sourceShape: row.source_shape,
      options: row.options === null ? {} : (JSON.parse(row.options) as Record<string, unknown>),
      report: row.counts === null ? null : (JSON.parse(row.counts) as Record<string, unknown>),
    };
  }

  async rejects(): Promise<RejectEntry[]> {
    const rows = await this.#rows<{ source_table: RejectEntry['sourceTable']; source_key: string; code: string }>(
      'SELECT source_table, source_key, code FROM monolith_migration.rejects',
    );
    return rows.map((row) => ({ sourceTable: row.source_table, sourceKey: row.source_key, code: row.code }));
  }

  async bookedRows(table: TargetTable): Promise<BookedRows> {
    const target = TARGET_KEY[table];
    if (target === undefined) return { booked: 0, present: 0, missing: [] };
    const from = `(SELECT DISTINCT target_id FROM monolith_migration.id_map WHERE target_table = $1 AND deleted_at IS NULL) m
      LEFT JOIN ${table} t ON ${target.key} = m.target_id`;
    const [counts] = await this.#rows<{ booked: number; present: number }>(
      `SELECT count(*)::int AS booked, count(${target.present})::int AS present FROM ${from}`,
      [table],
    );
    const booked = counts?.booked ?? 0;
    const present = counts?.present ?? 0;
    if (present === booked) return { booked, present, missing: [] };
    const missing = await this.#rows<{ target_id: string }>(
      `SELECT m.target_id FROM ${from} WHERE ${target.present} IS NULL ORDER BY 1 LIMIT 20`,
      [table],
    );
    return { booked, present, missing: missing.map((row) => row.target_id) };
  }

  async ownedListingIds(): Promise<Float64Array> {
    const rows = await this.#rows<{ id: string }>(
      `SELECT target_id::bigint AS id FROM monolith_migration.id_map
       WHERE source_table IN ('c2c_listings', 'b2c_products') AND deleted_at IS NULL ORDER BY 1`,
    );
    return Float64Array.from(rows, (row) => Number(row.id));
  }

  async listingCreatedAt(ids: readonly number[]): Promise<Map<number, string>> {
    const rows = await this.#rows<{ id: string; created_at: string }>(
      `SELECT id, ${UTC_TEXT('created_at')} AS created_at FROM listings WHERE id = ANY($1::bigint[])`,
      [ids],
    );
    return new Map(rows.map((row) => [Number(row.id), row.created_at]));
  }

  async listingStatuses(ids: readonly number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.#rows<{ id: string; status: string }>(
      'SELECT id, status FROM listings WHERE id = ANY($1::bigint[])',
      [ids],
    );
    return new Map(rows.map((row) => [Number(row.id), row.status]));
  }

  async keyDigests(table: VerifiedTable): Promise<Map<number, BucketDigest>> {
    const { sql } = KEY_SPECS[table];
    const rows = await this.#rows<{ bucket: string; rows: number; w1: string; w2: string; w3: string; w4: string }>(
      `SELECT b / ${VERIFY_BUCKET_SIZE} AS bucket, count(*)::int AS rows, ${[1, 2, 3, 4].map(WORD).join(', ')}
       FROM (SELECT md5(${sql.text}) AS m, (${sql.bucketId})::bigint AS b FROM ${table} WHERE ${TARGET_SCOPE[table]}) q
       GROUP BY 1 ORDER BY 1`,
    );
    return new Map(
      rows.map((row) => [
        Number(row.bucket),
        { rows: row.rows, sums: [Number(row.w1), Number(row.w2), Number(row.w3), Number(row.w4)] as const },
      ]),
    );
  }

  async bucketTexts(table: VerifiedTable, bucket: number): Promise<string[]> {
    const { sql } = KEY_SPECS[table];
    const rows = await this.#rows<{ text: string }>(
      `SELECT ${sql.text} AS text FROM ${table}
       WHERE ${TARGET_SCOPE[table]} AND (${sql.bucketId})::bigint / ${VERIFY_BUCKET_SIZE} = $1`,
      [bucket],
    );
    return rows.map((row) => row.text);
  }

  async idBuckets(table: IdSetTable): Promise<Map<number, IdBucket>> {
    const rows = await this.#rows<{ bucket: string; rows: number; md5: string }>(
      `SELECT id / ${VERIFY_BUCKET_SIZE} AS bucket, count(*)::int AS rows, md5(string_agg(id::text, ',' ORDER BY id)) AS md5
       FROM ${table} WHERE ${TARGET_SCOPE[table]} GROUP BY 1 ORDER BY 1`,
    );
    return new Map(rows.map((row) => [Number(row.bucket), { rows: row.rows, md5: row.md5 }]));
  }

  async bucketIds(table: IdSetTable, bucket: number): Promise<number[]> {
    const rows = await this.#rows<{ id: string }>(
      `SELECT id FROM ${table} WHERE ${TARGET_SCOPE[table]} AND id / ${VERIFY_BUCKET_SIZE} = $1 ORDER BY id`,
      [bucket],
    );
    return rows.map((row) => Number(row.id));
  }

  async listingFigures(ids: readonly number[]): Promise<Map<number, ListingFigures>> {
    const listings = await this.#rows<{ id: string; price: string; view_count: number }>(
      'SELECT id, price::text AS price, view_count FROM listings WHERE id = ANY($1::bigint[])',
      [ids],
    );
    const counts = async (table: string) =>
      new Map(
        (
          await this.#rows<{ id: string; n: number }>(
            `SELECT listing_id AS id, count(*)::int AS n FROM ${table} WHERE listing_id = ANY($1::bigint[]) GROUP BY 1`,
            [ids],
          )
        ).map((row) => [Number(row.id), row.n]),
      );
    const images = await counts('listing_images');
    const favorites = await counts('c2c_favorites');
    return new Map(
      listings.map((row) => {
        const id = Number(row.id);
        return [
          id,
          {
            price: row.price,
            viewCount: row.view_count,
            images: images.get(id) ?? 0,
            favorites: favorites.get(id) ?? 0,
          },
        ];
      }),
    );
  }

  async sample(ids: readonly number[]): Promise<Map<number, SampledListing>> {
    const out = new Map<number, SampledListing>();
    for (let start = 0; start < ids.length; start += 1000) {
      const chunk = ids.slice(start, start + 1000);
      const rowsOf = async (sql: string) => this.#sampled(sql, [chunk]);
      const group = (rows: SampledRow[]) => {
        const by = new Map<number, SampledRow[]>();
        for (const row of rows) {
          const id = Number(row.listing_id);
          by.set(id, [...(by.get(id) ?? []), row]);
        }
        return by;
      };
      const listings = await rowsOf('SELECT * FROM listings WHERE id = ANY($1::bigint[])');
      const locations = group(await rowsOf('SELECT * FROM listing_locations WHERE listing_id = ANY($1::bigint[])'));
      const images = group(
        await rowsOf('SELECT * FROM listing_images WHERE listing_id = ANY($1::bigint[]) ORDER BY display_order, id'),
      );
      const attributes = group(await rowsOf('SELECT * FROM listing_attributes WHERE listing_id = ANY($1::bigint[])'));
      const favorites = group(await rowsOf('SELECT * FROM c2c_favorites WHERE listing_id = ANY($1::bigint[])'));
      for (const listing of listings) {
        const id = Number(listing.id);
        out.set(id, {
          listing,
          location: locations.get(id)?.[0] ?? null,
          images: images.get(id) ?? [],
          attributes: attributes.get(id) ?? [],
          favorites: favorites.get(id) ?? [],
        });
      }
    }
    return out;
  }

  /** Rows with timestamps in canonical UTC text; other values as the lossless parsers left them. */
  async #sampled(sql: string, params: unknown[]): Promise<SampledRow[]> {
    const result = await this.#client.query(sql, params);
    const stamps = result.fields.filter((f) => TIMESTAMP_TYPES.has(f.dataTypeID)).map((f) => f.name);
    return result.rows.map((row: Record<string, string | number | boolean | null>) => {
      for (const name of stamps) {
        const value = row[name];
        if (typeof value === 'string') row[name] = canonicalTimestamp(value);
      }
      return row;
    });
  }

  async sequenceValues(tables: readonly string[]): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of tables) {
      const [name] = await this.#rows<{ seq: string | null }>(`SELECT pg_get_serial_sequence($1, 'id') AS seq`, [
        table,
      ]);
      if (!name?.seq) continue;
      const [state] = await this.#rows<{ last_value: string; is_called: boolean }>(
        `SELECT last_value::text AS last_value, is_called FROM ${name.seq}`,
      );
      if (state) out[table] = Number(state.last_value) - (state.is_called ? 0 : 1);
    }
    return out;
  }

  async close(): Promise<void> {
    await this.#client.end().catch(() => undefined);
  }
}
