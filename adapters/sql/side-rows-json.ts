import type { ListingImage } from '../../src/domain/image.ts';
import type { ListingAttribute } from '../../src/domain/listing.ts';
import type { ListingLocation } from '../../src/domain/location.ts';
import { type ImageRow, toListingImage } from './image-rows.ts';
import { type AttributeRow, type LocationRow, toListingAttribute, toListingLocation } from './listing-rows.ts';
import { parseInt8, parseTimestampAsUtc } from './value-parsers.ts';

/**
 * A listing's side rows as `listing_side_rows` keeps them (migration 20261126030000): JSON, which carries no value
 * parsers, so every value whose driver parsing matters is text in it and is parsed here with the drivers' own
 * parsers (value-parsers.ts): BIGINT → `parseInt8`, NUMERIC → its exact text, TIMESTAMPTZ → its UTC wall time, read
 * as `parseTimestampAsUtc` reads a TIMESTAMP (same Date, microseconds truncated). The rows then go through the same
 * mapping functions as every other read. A listing that never had a side row has no row: every column NULL.
 */
export interface SideRowsJson {
  readonly images: readonly JsonRow<ImageRow>[] | null;
  readonly attributes: readonly JsonRow<AttributeRow>[] | null;
  readonly tags: readonly string[] | null;
  readonly location: JsonRow<LocationRow> | null;
}

/** A side row as the JSON carries it: BIGINTs and timestamps as text. */
type JsonRow<Row> = {
  readonly [K in keyof Row]: Row[K] extends number ? number | string : Row[K] extends Date ? string : Row[K];
};

export interface SideRows {
  readonly images: ListingImage[];
  readonly attributeEntries: ListingAttribute[];
  readonly tags: string[];
  readonly location: ListingLocation | null;
}

export function toSideRows(json: SideRowsJson): SideRows {
  return {
    images: json.images === null ? [] : json.images.map((image) => toListingImage(imageRow(image))),
    attributeEntries:
      json.attributes === null ? [] : json.attributes.map((attribute) => toListingAttribute(attributeRow(attribute))),
    tags: json.tags === null ? [] : [...json.tags],
    location: json.location === null ? null : toListingLocation(locationRow(json.location)),
  };
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
