import type { Knex } from 'knex';
import type { ListingRelationsInput } from '../../ports/listing-repository.ts';
import type { Listing, ListingDetails } from '../../src/domain/listing.ts';
import { locationColumns } from './listing-rows.ts';
import { type PreparedStatement, runPrepared } from './prepared-statement.ts';
import { type SideRowsJson, toSideRows } from './side-rows-json.ts';

/** `listing_side_rows` of a page of listings: one statement whatever the page size. */
const SIDE_ROWS_OF: PreparedStatement = {
  name: 'listings_side_rows_of',
  read: true,
  text: `SELECT listing_id, images, attributes, tags, location FROM listing_side_rows
         WHERE listing_id = ANY($1::bigint[])`,
};

interface StoredSideRows extends SideRowsJson {
  readonly listing_id: number;
}

/**
 * The listings with their side rows, read in one statement from the rows the side tables' triggers keep (migration
 * 20261126030000); a listing without any side row has no row there.
 */
export async function withSideRows(db: Knex, listings: readonly Listing[]): Promise<ListingDetails[]> {
  if (listings.length === 0) return [];
  const rows = await runPrepared<StoredSideRows>(db, SIDE_ROWS_OF, [listings.map((listing) => listing.id)]);
  const byListing = new Map(rows.map((row) => [row.listing_id, row]));
  return listings.map((listing) => ({ ...listing, ...toSideRows(byListing.get(listing.id) ?? NO_SIDE_ROWS) }));
}

const NO_SIDE_ROWS: SideRowsJson = { images: null, attributes: null, tags: null, location: null };

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
