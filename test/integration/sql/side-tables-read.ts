import type { Knex } from 'knex';
import { IMAGE_ORDER, type ImageRow, toListingImage } from '../../../adapters/sql/image-rows.ts';
import {
  type AttributeRow,
  type LocationRow,
  type TagRow,
  toListingAttribute,
  toListingLocation,
} from '../../../adapters/sql/listing-rows.ts';
import type { SideRows } from '../../../adapters/sql/side-rows-json.ts';

/**
 * The side rows of `ids` read from the four side tables themselves, one query each: what `listing_side_rows` must
 * always equal. Independent of the triggers and of the JSON path the adapters read.
 */
export async function readSideTables(knex: Knex, ids: readonly number[]): Promise<Map<number, SideRows>> {
  const byListing = async <Row>(table: string, order: string) =>
    (
      (await knex.raw(`SELECT * FROM ${table} WHERE listing_id = ANY(?::bigint[]) ORDER BY listing_id, ${order}`, [
        [...ids],
      ])) as { rows: Row[] }
    ).rows;
  const images = await byListing<ImageRow>('listing_images', IMAGE_ORDER);
  const attributes = await byListing<AttributeRow>('listing_attributes', 'attribute_key, id');
  const tags = await byListing<TagRow>('listing_tags', 'id');
  const locations = await byListing<LocationRow>('listing_locations', 'id');
  return new Map(
    ids.map((id) => {
      const location = locations.find((row) => row.listing_id === id);
      return [
        id,
        {
          images: images.filter((row) => row.listing_id === id).map(toListingImage),
          attributeEntries: attributes.filter((row) => row.listing_id === id).map(toListingAttribute),
          tags: tags.filter((row) => row.listing_id === id).map((row) => row.tag),
          location: location === undefined ? null : toListingLocation(location),
        },
      ];
    }),
  );
}
