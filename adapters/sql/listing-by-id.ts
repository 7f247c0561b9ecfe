import type { Knex } from 'knex';
import type { ListingDetails } from '../../src/domain/listing.ts';
import { IMAGE_ORDER, type ImageRow, toListingImage } from './image-rows.ts';
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
 * ListingRepository.findById and findManyByIds in ONE statement each: the live listing rows with their side rows
 * aggregated by correlated subqueries. One statement sees one snapshot, so no transaction (and no extra round trips)
 * is needed.
 *
 * JSON carries no value parsers, so the subqueries render every value whose driver parsing matters as text and the
 * text is parsed here with the drivers' own parsers (value-parsers.ts): BIGINT → `parseInt8`, NUMERIC → its exact
 * text, TIMESTAMPTZ → its UTC wall time, read as `parseTimestampAsUtc` reads a TIMESTAMP (same Date, microseconds
 * truncated). The rows then go through the same mapping functions as every other read.
 */
const utc = (column: string) => `(${column} AT TIME ZONE 'UTC')::text`;

const IMAGES = `(SELECT coalesce(json_agg(json_build_object(
    'id', i.id::text, 'listing_id', i.listing_id::text, 'url', i.url, 'storage_path', i.storage_path,
    'storage_key', i.storage_key, 'thumbnail_url', i.thumbnail_url, 'thumbnails', i.thumbnails,
    'display_order', i.display_order, 'is_primary', i.is_primary, 'width', i.width, 'height', i.height,
    'file_size', i.file_size::text, 'mime_type', i.mime_type,
    'created_at', ${utc('i.created_at')}, 'updated_at', ${utc('i.updated_at')}
  ) ORDER BY ${IMAGE_ORDER.split(', ')
    .map((term) => `i.${term}`)
    .join(', ')}), '[]')
  FROM listing_images i WHERE i.listing_id = l.id) AS images_json`;

const ATTRIBUTES = `(SELECT coalesce(json_agg(json_build_object(
    'id', a.id::text, 'listing_id', a.listing_id::text, 'attribute_key', a.attribute_key,
    'attribute_value', a.attribute_value, 'created_at', ${utc('a.created_at')}
  ) ORDER BY a.attribute_key, a.id), '[]')
  FROM listing_attributes a WHERE a.listing_id = l.id) AS attributes_json`;

const TAGS = `(SELECT coalesce(json_agg(t.tag ORDER BY t.id), '[]')
  FROM listing_tags t WHERE t.listing_id = l.id) AS tags_json`;

const LOCATION = `(SELECT json_build_object(
    'id', loc.id::text, 'listing_id', loc.listing_id::text, 'country', loc.country, 'city', loc.city,
    'postal_code', loc.postal_code, 'address_line1', loc.address_line1, 'address_line2', loc.address_line2,
    'latitude', loc.latitude::text, 'longitude', loc.longitude::text,
    'created_at', ${utc('loc.created_at')}, 'updated_at', ${utc('loc.updated_at')}
  ) FROM listing_locations loc WHERE loc.listing_id = l.id) AS location_json`;

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

const SELECT_DETAILS = `SELECT ${LISTING_COLUMNS.map((column) => `l.${column}`).join(', ')},
  ${IMAGES}, ${ATTRIBUTES}, ${TAGS}, ${LOCATION}
  FROM listings l`;

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
  readonly images_json: readonly JsonRow<ImageRow>[];
  readonly attributes_json: readonly JsonRow<AttributeRow>[];
  readonly tags_json: readonly string[];
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
    images: row.images_json.map((image) => toListingImage(imageRow(image))),
    attributeEntries: row.attributes_json.map((attribute) => toListingAttribute(attributeRow(attribute))),
    tags: [...row.tags_json],
    location: row.location_json === null ? null : toListingLocation(locationRow(row.location_json)),
  };
}
