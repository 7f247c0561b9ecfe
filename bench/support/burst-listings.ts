import type { Knex } from 'knex';

/**
 * Draft listings for the index-burst benchmark, inserted with plain SQL (not timed): each with a Russian or Serbian
 * title and description, three attributes, two tags, two images with thumbnails and a city location, so a search
 * document is about the size of a real one (~2 KB of JSON). The burst then publishes them through the use case.
 */
export async function seedDraftListings(knex: Knex, categoryId: number, count: number): Promise<number[]> {
  const inserted = await knex.raw(
    `INSERT INTO listings (user_id, title, description, price, currency, category_id, status, visibility, quantity,
                           attributes)
     SELECT 1 + n % 500,
            (ARRAY['Квартира в центре', 'Stan na Novom Beogradu', 'Велосипед горный', 'Polovni telefon',
                   'Диван угловой', 'Zimske gume 16 inča', 'Ноутбук для работы', 'Dečija kolica'])[1 + n % 8]
              || ' №' || n,
            (ARRAY['Продаётся в хорошем состоянии, самовывоз, торг уместен. ',
                   'Prodajem u odličnom stanju, moguća zamena, cena po dogovoru. '])[1 + n % 2]
              || repeat('Подробности по телефону. Detalji na upit. ', 4),
            1000 + (n * 7919) % 500000, 'RSD', ?, 'draft', 'public', 1 + n % 5, '{}'::jsonb
     FROM generate_series(1, ?) AS n
     RETURNING id`,
    [categoryId, count],
  );
  const ids = (inserted.rows as { id: string | number }[]).map((row) => Number(row.id));
  const range = [ids[0] as number, ids.at(-1) as number];
  await knex.raw(
    `INSERT INTO listing_attributes (listing_id, attribute_key, attribute_value)
     SELECT l.id, a.key, a.key || '-' || (l.id % 7) FROM listings l
     CROSS JOIN (VALUES ('condition'), ('color'), ('brand')) AS a(key)
     WHERE l.id BETWEEN ? AND ?`,
    range,
  );
  await knex.raw(
    `INSERT INTO listing_tags (listing_id, tag)
     SELECT l.id, t.tag || (l.id % 20) FROM listings l CROSS JOIN (VALUES ('sale'), ('city')) AS t(tag)
     WHERE l.id BETWEEN ? AND ?`,
    range,
  );
  await knex.raw(
    `INSERT INTO listing_images (listing_id, url, thumbnail_url, thumbnails, display_order, is_primary)
     SELECT l.id, 'https://img.example.com/listings/' || l.id || '/' || i || '.jpg',
            'https://img.example.com/listings/' || l.id || '/' || i || '-thumb.jpg',
            jsonb_build_object('small', 'https://img.example.com/listings/' || l.id || '/' || i || '-s.jpg',
                               'medium', 'https://img.example.com/listings/' || l.id || '/' || i || '-m.jpg'),
            i, i = 0
     FROM listings l CROSS JOIN generate_series(0, 1) AS i WHERE l.id BETWEEN ? AND ?`,
    range,
  );
  await knex.raw(
    `INSERT INTO listing_locations (listing_id, country, city, latitude, longitude)
     SELECT l.id, 'RS', (ARRAY['Beograd', 'Novi Sad', 'Niš'])[1 + l.id % 3],
            44.8 + (l.id % 100) / 1000.0, 20.4 + (l.id % 100) / 1000.0
     FROM listings l WHERE l.id BETWEEN ? AND ?`,
    range,
  );
  await knex.raw('ANALYZE');
  return ids;
}
