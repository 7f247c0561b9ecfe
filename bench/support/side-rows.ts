import type { Knex } from 'knex';

/**
 * Copies of `count` of the given listings, each with what a typical marketplace listing carries besides its own row:
 * 3 images (with thumbnails), 4 attributes, 2 tags and a location. Written with one statement per side table, so
 * the side-row triggers run as they do for a bulk write. Returns the new ids.
 */
export async function seedListingsWithSideRows(
  knex: Knex,
  templateIds: readonly number[],
  count: number,
): Promise<number[]> {
  const result = await knex.raw(
    `INSERT INTO listings (user_id, title, description, price, currency, category_id, status, visibility, quantity,
                           published_at, attributes)
     SELECT user_id, title || ' (with side rows)', description, price, currency, category_id, status, visibility,
            quantity, published_at, attributes
     FROM listings WHERE id = ANY(?::bigint[]) ORDER BY id LIMIT ?
     RETURNING id`,
    [[...templateIds], count],
  );
  const ids = (result.rows as { id: string | number }[]).map((row) => Number(row.id));
  await knex.raw(
    `INSERT INTO listing_images (listing_id, url, storage_key, thumbnail_url, thumbnails, display_order, is_primary,
                                 width, height, file_size, mime_type)
     SELECT id, 'https://cdn.example.com/listings/' || id || '/' || n || '.webp', 'listings/' || id || '/' || n || '.webp',
            'https://cdn.example.com/listings/' || id || '/' || n || '-thumb.webp',
            jsonb_build_object('small', 'https://cdn.example.com/listings/' || id || '/' || n || '-s.webp',
                               'medium', 'https://cdn.example.com/listings/' || id || '/' || n || '-m.webp'),
            n, n = 0, 1600, 1200, 245000 + n, 'image/webp'
     FROM unnest(?::bigint[]) AS id, generate_series(0, 2) AS n`,
    [ids],
  );
  await knex.raw(
    `INSERT INTO listing_attributes (listing_id, attribute_key, attribute_value)
     SELECT id, key, value FROM unnest(?::bigint[]) AS id,
       (VALUES ('brand', 'Samsung'), ('model', 'Galaxy S21'), ('memory', '128 GB'), ('color', 'Phantom Gray'))
         AS a (key, value)`,
    [ids],
  );
  await knex.raw(
    `INSERT INTO listing_tags (listing_id, tag)
     SELECT id, tag FROM unnest(?::bigint[]) AS id, (VALUES ('smartphone'), ('android')) AS t (tag)`,
    [ids],
  );
  await knex.raw(
    `INSERT INTO listing_locations (listing_id, country, city, postal_code, latitude, longitude)
     SELECT id, 'Serbia', 'Novi Sad', '21000', 45.26710000, 19.83350000 FROM unnest(?::bigint[]) AS id`,
    [ids],
  );
  await knex.raw('ANALYZE');
  return ids;
}
