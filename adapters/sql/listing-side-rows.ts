import type { Knex } from 'knex';
import type { ListingRelationsInput } from '../../ports/listing-repository.ts';
import type { ListingImage } from '../../src/domain/image.ts';
import type { Listing, ListingAttribute, ListingDetails } from '../../src/domain/listing.ts';
import type { ListingLocation } from '../../src/domain/location.ts';
import { IMAGE_ORDER, type ImageRow, toListingImage } from './image-rows.ts';
import {
  type AttributeRow,
  type LocationRow,
  locationColumns,
  type TagRow,
  toListingAttribute,
  toListingLocation,
} from './listing-rows.ts';

/**
 * The side rows of listings: read for a whole page with one query per side table (`listing_id = ANY(ids)`, never
 * one query per listing, flaw-free at any page size), and replaced per listing.
 */
export async function withSideRows(db: Knex, listings: readonly Listing[]): Promise<ListingDetails[]> {
  if (listings.length === 0) return [];
  const ids = listings.map((listing) => listing.id);
  const byListing = (table: string, order: string) =>
    db.raw(`SELECT * FROM ${table} WHERE listing_id = ANY(?::bigint[]) ORDER BY listing_id, ${order}`, [ids]);
  // One after another: a connection runs one statement at a time (node-postgres deprecates queueing them).
  const images = (await byListing('listing_images', IMAGE_ORDER)) as { rows: ImageRow[] };
  const attributes = (await byListing('listing_attributes', 'attribute_key, id')) as { rows: AttributeRow[] };
  const tags = (await byListing('listing_tags', 'id')) as { rows: TagRow[] };
  const locations = (await byListing('listing_locations', 'id')) as { rows: LocationRow[] };

  const imagesOf = groupBy(images.rows.map(toListingImage));
  const attributesOf = groupBy(attributes.rows.map(toListingAttribute));
  const tagsOf = new Map<number, string[]>();
  for (const row of tags.rows) tagsOf.set(row.listing_id, [...(tagsOf.get(row.listing_id) ?? []), row.tag]);
  const locationOf = new Map<number, ListingLocation>(
    locations.rows.map((row) => [row.listing_id, toListingLocation(row)]),
  );

  return listings.map((listing) => ({
    ...listing,
    images: imagesOf.get(listing.id) ?? [],
    attributeEntries: attributesOf.get(listing.id) ?? [],
    tags: tagsOf.get(listing.id) ?? [],
    location: locationOf.get(listing.id) ?? null,
  }));
}

function groupBy<T extends ListingImage | ListingAttribute>(items: readonly T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const group = groups.get(item.listingId);
    if (group) group.push(item);
    else groups.set(item.listingId, [item]);
  }
  return groups;
}

/** ListingRepository.replaceRelations: each given relation is replaced as a whole; absent keys are left alone. */
export async function replaceSideRows(db: Knex, listingId: number, relations: ListingRelationsInput): Promise<void> {
  if (relations.tags !== undefined) {
    await db('listing_tags').where({ listing_id: listingId }).delete();
    const tags = [...new Set(relations.tags)];
    if (tags.length > 0) await db('listing_tags').insert(tags.map((tag) => ({ listing_id: listingId, tag })));
  }
  if (relations.attributeEntries !== undefined) {
    await db('listing_attributes').where({ listing_id: listingId }).delete();
    const entries = Object.entries(relations.attributeEntries);
    if (entries.length > 0) {
      await db('listing_attributes').insert(
        entries.map(([key, value]) => ({ listing_id: listingId, attribute_key: key, attribute_value: value })),
      );
    }
  }
  if (relations.location === null) {
    await db('listing_locations').where({ listing_id: listingId }).delete();
  } else if (relations.location !== undefined) {
    const columns = locationColumns(relations.location);
    await db('listing_locations')
      .insert({ listing_id: listingId, ...columns })
      .onConflict('listing_id')
      .merge(columns);
  }
}
