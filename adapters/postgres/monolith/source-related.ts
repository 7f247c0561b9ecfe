import type pg from 'pg';
import type { SourceShape } from '../../../ports/monolith-source.ts';
import type {
  B2cProductRelated,
  C2cListingRelated,
  SourceAttributeValueRow,
  SourceGeoRow,
  SourceProductAttributeRow,
  SourceTranslationRow,
  SourceVariantImageRow,
} from '../../../src/monolith-migration/mapping/index.ts';
import { LISTING_GEO_TYPES_INDEXED, SOURCE_TABLES } from './source-tables.ts';

/**
 * The related rows a batch of listings, products or variants is derived from (mapping/types.ts), read with one
 * statement per relation over the batch's ids (`= ANY($1)`, served by the source's indexes), then grouped.
 */
function groupBy<R>(rows: readonly R[], key: (row: R) => number): Map<number, R[]> {
  const groups = new Map<number, R[]>();
  for (const row of rows) {
    const id = key(row);
    const group = groups.get(id);
    if (group) group.push(row);
    else groups.set(id, [row]);
  }
  return groups;
}

async function counts(client: pg.ClientBase, table: string, column: string, ids: readonly number[]) {
  const result = await client.query<{ id: number; n: number }>(
    `SELECT ${column} AS id, count(*)::int AS n FROM ${table} WHERE ${column} = ANY($1::int[]) GROUP BY 1`,
    [ids],
  );
  return new Map(result.rows.map((row) => [row.id, row.n]));
}

export async function c2cListingRelated(
  client: pg.ClientBase,
  shape: SourceShape,
  ids: readonly number[],
): Promise<Map<number, C2cListingRelated>> {
  const geo = shape.hasGeo
    ? groupBy(
        (
          await client.query<SourceGeoRow>(
            `SELECT ${SOURCE_TABLES.unified_geo.columns} FROM unified_geo
             WHERE ${LISTING_GEO_TYPES_INDEXED} AND source_id = ANY($1::bigint[]) ORDER BY unified_geo.id`,
            [ids],
          )
        ).rows,
        (row) => Number(row.source_id),
      )
    : new Map<number, SourceGeoRow[]>();
  const translations = shape.hasTranslations
    ? groupBy(
        (
          await client.query<SourceTranslationRow>(
            `SELECT ${SOURCE_TABLES.translations.columns} FROM translations
             WHERE entity_type = 'listing' AND entity_id = ANY($1::int[]) ORDER BY id`,
            [ids],
          )
        ).rows,
        (row) => row.entity_id,
      )
    : new Map<number, SourceTranslationRow[]>();
  const conditions = shape.hasAttributeValues
    ? new Map(
        (
          await client.query<SourceAttributeValueRow>(
            `SELECT ${SOURCE_TABLES.unified_attribute_values.columns.replace(/(^|,\s*)(\w+)/g, '$1v.$2')}
             FROM unified_attribute_values v JOIN unified_attributes a ON a.id = v.attribute_id
             WHERE v.entity_type = 'listing' AND a.code = 'condition' AND v.entity_id = ANY($1::int[])`,
            [ids],
          )
        ).rows.map((row) => [row.entity_id, row] as const),
      )
    : new Map<number, SourceAttributeValueRow>();
  const variants = await counts(client, 'c2c_listing_variants', 'listing_id', ids);
  const favorites = await counts(client, 'c2c_favorites', 'listing_id', ids);
  return new Map(
    ids.map((id) => [
      id,
      {
        geo: geo.get(id) ?? [],
        translations: translations.get(id) ?? [],
        variantCount: variants.get(id) ?? 0,
        favoritesCount: favorites.get(id) ?? 0,
        unifiedCondition: conditions.get(id) ?? null,
      },
    ]),
  );
}

export async function b2cProductRelated(
  client: pg.ClientBase,
  ids: readonly number[],
): Promise<Map<number, B2cProductRelated>> {
  const settings = groupBy(
    (
      await client.query<SourceProductAttributeRow>(
        `SELECT ${SOURCE_TABLES.b2c_product_attributes.columns} FROM b2c_product_attributes
         WHERE product_id = ANY($1::int[]) ORDER BY id`,
        [ids],
      )
    ).rows,
    (row) => row.product_id,
  );
  const favorites = await counts(client, 'b2c_favorites', 'product_id', ids);
  return new Map(
    ids.map((id) => [id, { attributeSettings: settings.get(id) ?? [], favoritesCount: favorites.get(id) ?? 0 }]),
  );
}

export async function b2cVariantRelated(
  client: pg.ClientBase,
  shape: SourceShape,
  ids: readonly number[],
): Promise<Map<number, { images: SourceVariantImageRow[]; attributeValues: SourceAttributeValueRow[] }>> {
  const images = groupBy(
    (
      await client.query<SourceVariantImageRow>(
        `SELECT ${SOURCE_TABLES.b2c_product_variant_images.columns} FROM b2c_product_variant_images
         WHERE variant_id = ANY($1::int[]) ORDER BY id`,
        [ids],
      )
    ).rows,
    (row) => row.variant_id,
  );
  const values = shape.hasAttributeValues
    ? groupBy(
        (
          await client.query<SourceAttributeValueRow>(
            `SELECT ${SOURCE_TABLES.unified_attribute_values.columns} FROM unified_attribute_values
             WHERE entity_type = 'product_variant' AND entity_id = ANY($1::int[]) ORDER BY id`,
            [ids],
          )
        ).rows,
        (row) => row.entity_id,
      )
    : new Map<number, SourceAttributeValueRow[]>();
  return new Map(ids.map((id) => [id, { images: images.get(id) ?? [], attributeValues: values.get(id) ?? [] }]));
}
