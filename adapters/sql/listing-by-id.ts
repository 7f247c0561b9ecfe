import type { Knex } from 'knex';
import type { ListingDetails } from '../../src/domain/listing.ts';
import { type ImageRow, toListingImage } from './image-rows.ts';
import {
  type AttributeRow,
  type ListingRow,
  type LocationRow,
  toListing,
  toListingAttribute,
  toListingLocation,
} from './listing-rows.ts';
import { type PreparedStatement, runPrepared } from './prepared-statement.ts';
import { parseInt8, parseTimestampAsUtc } from './value-parsers.ts';

/**
 * ListingRepository.findById and findManyByIds in ONE statement each: the live listing rows joined with their side
 * rows, which triggers keep as JSON in `listing_side_rows` (migration 20261126030000: two primary-key probes instead
 * of four aggregations per listing). One statement sees one snapshot, so no transaction (and no extra round trips)
 * is needed.
 *
 * JSON carries no value parsers, so the stored side rows hold every value whose driver parsing matters as text and
 * the text is parsed here with the drivers' own parsers (value-parsers.ts): BIGINT → `parseInt8`, NUMERIC → its
 * exact text, TIMESTAMPTZ → its UTC wall time, read as `parseTimestampAsUtc` reads a TIMESTAMP (same Date,
 * microseconds truncated). The rows then go through the same mapping functions as every other read.
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
export const FIND_LISTING_BY_ID: PreparedStatement = { name: 'listings_find_by_id', text: FIND_BY_ID };

/** The same for a list of ids: the indexing worker's read of a claimed batch (up to 1000 ids) in one round trip. */
const FIND_LISTINGS_BY_IDS: PreparedStatement = {
  name: 'listings_find_many_by_ids',
  text: `${SELECT_DETAILS} WHERE l.id = ANY($1::bigint[]) AND l.is_deleted = false ORDER BY l.id`,
};

/** A side row as the JSON carries it: BIGINTs and timestamps as text. */
type JsonRow<Row> = {
  readonly [K in keyof Row]: Row[K] extends number ? number | string : Row[K] extends Date ? string : Row[K];
};

interface FoundRow extends ListingRow {
  readonly images_json: readonly JsonRow<ImageRow>[] | null;
  readonly attributes_json: readonly JsonRow<AttributeRow>[] | null;
  readonly tags_json: readonly string[] | null;
  readonly location_json: JsonRow<LocationRow> | null;
}

const int8 = (text: string | number) => parseInt8(String(text)) as number;
const optionalInt8 = (text: string | number | null) => (text === null ? null : int8(text));
const timestamp = (text: string) => parseTimestampAsUtc(text) as Date;

function imageRow(row: JsonRow<ImageRow>): ImageRow {
  return {
    ...row,
    id: int8(row.id),
    listing_id: int8(row.listing_id),
    display_order: Number(row.display_order),
    width: row.width === null ? null : Number(row.width),
    height: row.height === null ? null : Number(row.height),
    file_size: optionalInt8(row.file_size),
    created_at: timestamp(row.created_at),
    updated_at: timestamp(row.updated_at),
  };
}

function attributeRow(row: JsonRow<AttributeRow>): AttributeRow {
  return { ...row, id: int8(row.id), listing_id: int8(row.listing_id), created_at: timestamp(row.created_at) };
}

function locationRow(row: JsonRow<LocationRow>): LocationRow {
  return {
    ...row,
    id: int8(row.id),
    listing_id: int8(row.listing_id),
    created_at: timestamp(row.created_at),
    updated_at: timestamp(row.updated_at),
  };
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
    images: row.images_json === null ? [] : row.images_json.map((image) => toListingImage(imageRow(image))),
    attributeEntries:
      row.attributes_json === null
        ? []
        : row.attributes_json.map((attribute) => toListingAttribute(attributeRow(attribute))),
    tags: row.tags_json === null ? [] : [...row.tags_json],
    location: row.location_json === null ? null : toListingLocation(locationRow(row.location_json)),
  };
}
