import type { Knex } from 'knex';

/**
 * `listing_side_rows`: each listing's images, attributes, tags and location as the JSON the read path returns, kept
 * by triggers on the four side tables, so reading a listing whole is two primary-key probes instead of four
 * aggregations.
 *
 * Measured before this table (pgbench, prepared, 1 000 listings with 3 images, 4 attributes, 2 tags and a location
 * each): the four correlated aggregates ran at 34 % of the server throughput of the bare primary-key read of
 * `listings`; the join with this table at 75-88 %. Reads happen far more often than side-row writes.
 *
 * - Statement-level AFTER triggers with transition tables: a bulk statement (a monolith batch, a COPY) refreshes
 *   each touched listing once, not once per row. A refresh rewrites only the column of the side table that changed.
 * - Correctness under concurrency: two transactions writing side rows of one listing would each aggregate without
 *   seeing the other's uncommitted rows, and the later upsert would drop the earlier's rows. The refresh therefore
 *   first locks the listings (FOR NO KEY UPDATE, id order), then aggregates in a new statement: under READ COMMITTED
 *   that statement's snapshot sees whatever the lock waited for. The lock does not conflict with the foreign-key
 *   checks of side-row inserts (FOR KEY SHARE).
 * - No row until a listing's first side row is written; readers LEFT JOIN and default to empty. The row goes with
 *   its listing (ON DELETE CASCADE).
 * - `json`, not `jsonb`: the value is only ever returned whole, and `json` is returned as stored (no re-rendering).
 *   BIGINTs, NUMERICs and timestamps are text in it (UTC wall time), parsed by the reader with the drivers' parsers.
 * - TRUNCATE of a side table does not fire these triggers: truncate the side table and this one together.
 * - A bulk writer that writes the side tables in many statements may `SET LOCAL listings.side_rows_refresh =
 *   'deferred'`: the triggers then do nothing, and the writer must call `listing_side_rows_refresh_all(ids)` for
 *   every listing it touched, in the same transaction. The monolith migration does not: it writes each side table
 *   with one statement per batch, and a refresh of all four columns cost more than the per-table ones. Only the
 *   migration benchmark's baseline COPY defers (and never refreshes).
 * - `listing_side_rows_expected(ids)` computes what the rows must hold, for checks (`listings validate`) and for
 *   `listing_side_rows_refresh_all`, which `--fix` uses.
 */
const utc = (column: string) => `(${column} AT TIME ZONE 'UTC')::text`;

const IMAGES = `coalesce((SELECT json_agg(json_build_object(
    'id', i.id::text, 'listing_id', i.listing_id::text, 'url', i.url, 'storage_path', i.storage_path,
    'storage_key', i.storage_key, 'thumbnail_url', i.thumbnail_url, 'thumbnails', i.thumbnails,
    'display_order', i.display_order, 'is_primary', i.is_primary, 'width', i.width, 'height', i.height,
    'file_size', i.file_size::text, 'mime_type', i.mime_type,
    'created_at', ${utc('i.created_at')}, 'updated_at', ${utc('i.updated_at')}
  ) ORDER BY i.is_primary DESC, i.display_order, i.id)
  FROM listing_images i WHERE i.listing_id = l.id), '[]'::json)`;

const ATTRIBUTES = `coalesce((SELECT json_agg(json_build_object(
    'id', a.id::text, 'listing_id', a.listing_id::text, 'attribute_key', a.attribute_key,
    'attribute_value', a.attribute_value, 'created_at', ${utc('a.created_at')}
  ) ORDER BY a.attribute_key, a.id)
  FROM listing_attributes a WHERE a.listing_id = l.id), '[]'::json)`;

const TAGS = `coalesce((SELECT json_agg(t.tag ORDER BY t.id)
  FROM listing_tags t WHERE t.listing_id = l.id), '[]'::json)`;

const LOCATION = `(SELECT json_build_object(
    'id', loc.id::text, 'listing_id', loc.listing_id::text, 'country', loc.country, 'city', loc.city,
    'postal_code', loc.postal_code, 'address_line1', loc.address_line1, 'address_line2', loc.address_line2,
    'latitude', loc.latitude::text, 'longitude', loc.longitude::text,
    'created_at', ${utc('loc.created_at')}, 'updated_at', ${utc('loc.updated_at')}
  ) FROM listing_locations loc WHERE loc.listing_id = l.id)`;

const SIDE_TABLES = [
  { table: 'listing_images', column: 'images', value: IMAGES },
  { table: 'listing_attributes', column: 'attributes', value: ATTRIBUTES },
  { table: 'listing_tags', column: 'tags', value: TAGS },
  { table: 'listing_locations', column: 'location', value: LOCATION },
] as const;

const LOCK_LISTINGS = 'PERFORM 1 FROM listings WHERE id = ANY (listing_ids) ORDER BY id FOR NO KEY UPDATE;';

const refreshBranch = ({ table, column, value }: (typeof SIDE_TABLES)[number]) => `
      IF side_table = '${table}' THEN
        INSERT INTO listing_side_rows (listing_id, ${column})
        SELECT l.id, ${value}
        FROM listings l WHERE l.id = ANY (listing_ids)
        ON CONFLICT (listing_id) DO UPDATE SET ${column} = EXCLUDED.${column};
        RETURN;
      END IF;`;

const triggers = (table: string) =>
  (['INSERT', 'UPDATE', 'DELETE'] as const)
    .map((event) => {
      const transition =
        event === 'INSERT'
          ? 'NEW TABLE AS new_rows'
          : event === 'DELETE'
            ? 'OLD TABLE AS old_rows'
            : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
      return `
    CREATE TRIGGER ${table}_side_rows_${event.toLowerCase()} AFTER ${event} ON ${table}
      REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION listing_side_rows_changed();`;
    })
    .join('');

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE listing_side_rows (
      listing_id BIGINT PRIMARY KEY REFERENCES listings (id) ON DELETE CASCADE,
      images JSON NOT NULL DEFAULT '[]',
      attributes JSON NOT NULL DEFAULT '[]',
      tags JSON NOT NULL DEFAULT '[]',
      location JSON
    );

    CREATE FUNCTION listing_side_rows_refresh(side_table text, listing_ids bigint[]) RETURNS void
    LANGUAGE plpgsql VOLATILE AS $$
    BEGIN
      ${LOCK_LISTINGS}
      ${SIDE_TABLES.map(refreshBranch).join('')}
      RAISE EXCEPTION 'listing_side_rows_refresh: unknown side table %', side_table;
    END $$;

    CREATE FUNCTION listing_side_rows_expected(listing_ids bigint[])
    RETURNS TABLE (listing_id bigint, images json, attributes json, tags json, location json)
    LANGUAGE sql STABLE AS $$
      SELECT l.id, ${SIDE_TABLES.map(({ value }) => value).join(', ')}
      FROM listings l WHERE l.id = ANY (listing_ids)
    $$;

    CREATE FUNCTION listing_side_rows_refresh_all(listing_ids bigint[]) RETURNS void
    LANGUAGE plpgsql VOLATILE AS $$
    BEGIN
      ${LOCK_LISTINGS}
      INSERT INTO listing_side_rows (listing_id, images, attributes, tags, location)
      SELECT * FROM listing_side_rows_expected(listing_ids)
      ON CONFLICT (listing_id) DO UPDATE SET images = EXCLUDED.images, attributes = EXCLUDED.attributes,
        tags = EXCLUDED.tags, location = EXCLUDED.location;
    END $$;

    CREATE FUNCTION listing_side_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      listing_ids bigint[];
    BEGIN
      IF current_setting('listings.side_rows_refresh', true) = 'deferred' THEN
        RETURN NULL;
      END IF;
      IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT listing_id) INTO listing_ids FROM new_rows;
      ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT listing_id) INTO listing_ids FROM old_rows;
      ELSE
        SELECT array_agg(listing_id) INTO listing_ids
        FROM (SELECT listing_id FROM new_rows UNION SELECT listing_id FROM old_rows) AS touched;
      END IF;
      IF listing_ids IS NOT NULL THEN
        PERFORM listing_side_rows_refresh(TG_TABLE_NAME, listing_ids);
      END IF;
      RETURN NULL;
    END $$;
    ${SIDE_TABLES.map(({ table }) => triggers(table)).join('')}

    INSERT INTO listing_side_rows (listing_id, images, attributes, tags, location)
    SELECT * FROM listing_side_rows_expected(ARRAY(
      SELECT listing_id FROM listing_images UNION SELECT listing_id FROM listing_attributes
      UNION SELECT listing_id FROM listing_tags UNION SELECT listing_id FROM listing_locations));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ${SIDE_TABLES.flatMap(({ table }) =>
      ['insert', 'update', 'delete'].map((event) => `DROP TRIGGER ${table}_side_rows_${event} ON ${table};`),
    ).join('\n    ')}
    DROP FUNCTION listing_side_rows_changed();
    DROP FUNCTION listing_side_rows_refresh_all(bigint[]);
    DROP FUNCTION listing_side_rows_expected(bigint[]);
    DROP FUNCTION listing_side_rows_refresh(text, bigint[]);
    DROP TABLE listing_side_rows;
  `);
}
