import type { Knex } from 'knex';
import type { ListingDetails } from '../../src/domain/listing.ts';
import { type ListingRow, toListing } from './listing-rows.ts';
import { type PreparedStatement, runPrepared } from './prepared-statement.ts';
import { type SideRowsJson, toSideRows } from './side-rows-json.ts';

/**
 * ListingRepository.findById and findManyByIds in ONE statement each: the live listing rows joined with their side
 * rows, which triggers keep as JSON in `listing_side_rows` (migration 20261126030000: two primary-key probes instead
 * of four aggregations per listing; side-rows-json.ts parses them). One statement sees one snapshot, so no
 * transaction (and no extra round trips) is needed.
 */
/**
 * The listing's columns, named rather than `l.*`: the statement is prepared once per connection, and PostgreSQL
 * refuses to run a prepared statement whose result columns changed (`cached plan must not change result type`),
 * which `l.*` would do after any migration adding a column while the service runs.
 */
const LISTING_COLUMNS: readonly (keyof ListingRow)[] = [
  'id',
  'uuid',
  'user_id',
  'storefront_id',
  'title',
  'description',
  'price',
  'currency',
  'category_id',
  'status',
  'visibility',
  'quantity',
  'sku',
  'barcode',
  'view_count',
  'favorites_count',
  'sold_count',
  'created_at',
  'updated_at',
  'published_at',
  'deleted_at',
  'is_deleted',
  'source_type',
  'attributes',
  'stock_status',
  'has_individual_location',
  'individual_address',
  'individual_latitude',
  'individual_longitude',
  'location_privacy',
  'show_on_map',
  'has_variants',
  'version',
];

/** A listing without side rows has no `listing_side_rows` row: the LEFT JOIN gives NULLs, read as empty. */
const SELECT_DETAILS = `SELECT ${LISTING_COLUMNS.map((column) => `l.${column}`).join(', ')},
  s.images AS images_json, s.attributes AS attributes_json, s.tags AS tags_json, s.location AS location_json
  FROM listings l LEFT JOIN listing_side_rows s ON s.listing_id = l.id`;

const FIND_BY_ID = `${SELECT_DETAILS} WHERE l.id = $1 AND l.is_deleted = false`;

/**
 * Named: node-postgres prepares it once per connection and then only binds and executes it (parsing and planning
 * this statement cost several times its execution). Run below knex's query builder (prepared-statement.ts).
 * Exported for the benchmark, which also times it on a bare pool (bench/get-by-id.bench.ts).
 */
export const FIND_LISTING_BY_ID: PreparedStatement = { name: 'listings_find_by_id', text: FIND_BY_ID, read: true };

/** The same for a list of ids: the indexing worker's read of a claimed batch (up to 1000 ids) in one round trip. */
const FIND_LISTINGS_BY_IDS: PreparedStatement = {
  name: 'listings_find_many_by_ids',
  read: true,
  text: `${SELECT_DETAILS} WHERE l.id = ANY($1::bigint[]) AND l.is_deleted = false ORDER BY l.id`,
};

interface FoundRow extends ListingRow {
  readonly images_json: SideRowsJson['images'];
  readonly attributes_json: SideRowsJson['attributes'];
  readonly tags_json: SideRowsJson['tags'];
  readonly location_json: SideRowsJson['location'];
}

/** The live listing `id` with its images, attributes, tags and location, or null when missing or deleted. */
export async function findListingById(db: Knex, id: number): Promise<ListingDetails | null> {
  const [row] = await runPrepared<FoundRow>(db, FIND_LISTING_BY_ID, [id]);
  return row === undefined ? null : toDetails(row);
}

/** The live listings among `ids`, in id order, each with its side rows; missing and deleted ids are left out. */
export async function findListingsByIds(db: Knex, ids: readonly number[]): Promise<ListingDetails[]> {
  if (ids.length === 0) return [];
  const rows = await runPrepared<FoundRow>(db, FIND_LISTINGS_BY_IDS, [[...new Set(ids)]]);
  return rows.map(toDetails);
}

function toDetails(row: FoundRow): ListingDetails {
  return {
    ...toListing(row),
    ...toSideRows({
      images: row.images_json,
      attributes: row.attributes_json,
      tags: row.tags_json,
      location: row.location_json,
    }),
  };
}
