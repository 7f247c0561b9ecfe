/**
 * The stable codes of reference monolith.md §3.14 (and the report codes of §3.3–§3.12). A code is a contract: it
 * names a row in `monolith_migration.rejects`, a count in the run report and a key in `_monolith.repairs`.
 */

/** Why a source row is not migrated. The row goes to `monolith_migration.rejects` with this code and a detail. */
export const REJECT_CODES = {
  OWNER_MISSING: 'user_id is NULL or not positive (target NOT NULL, CHECK > 0)',
  PRICE_MISSING: 'price is NULL (target NOT NULL)',
  PRICE_NOT_POSITIVE: 'price is zero or negative (target CHECK > 0)',
  PRICE_TOO_PRECISE: 'price has non-zero digits beyond 2 decimals (target DECIMAL(15,2) would round it)',
  PRICE_OUT_OF_RANGE: 'price has more than 13 integer digits (target DECIMAL(15,2))',
  CATEGORY_MISSING: 'category_id is NULL or the category is not in the target',
  STORE_MISSING: "the product's store is missing or was rejected",
  PARENT_MISSING: 'the row belongs to a listing (or attribute, variant) that does not exist at the source',
  PARENT_REJECTED: 'the row belongs to a listing that was rejected',
  TARGET_ID_TAKEN: 'the target id is used by a row the migration did not write (decided by the pipeline)',
  QUANTITY_ZERO: 'movement quantity is 0 (target CHECK <> 0)',
  TITLE_TOO_SHORT: 'trimmed title shorter than 3 characters and `--reject title` was given',
  ATTRIBUTE_VALUE_EMPTY: 'attribute value with no typed column set',
  IMAGE_LOCATION_MISSING: 'image with neither public_url nor file_path',
  SKU_CONFLICT: 'variant sku already used by another variant of the same product in the target',
  FIELD_TOO_LONG: 'a required text value is longer than its target column',
  TIMESTAMP_OUT_OF_RANGE: 'a timestamp outside years 1..9999 or not in ISO form',
} as const;
export type RejectCode = keyof typeof REJECT_CODES;

/** A value changed by a documented rule; the row is migrated and the change listed. */
export const REPAIR_CODES = {
  TITLE_TOO_SHORT: 'title padded with " #<id>" (or "Listing #<id>")',
  PRICE_MISSING: 'price NULL replaced by --price-fallback, status forced to draft',
  PRICE_NOT_POSITIVE: 'price <= 0 replaced by --price-fallback, status forced to draft',
  OWNER_MISSING: 'owner replaced by --owner-fallback, status forced to draft',
  CATEGORY_MISSING: 'category replaced by --category-fallback, status forced to draft',
  CATEGORY_PARENT_MISSING: 'category parent missing: parent_id NULL, level 0',
  STORE_SLUG_EMPTY: "empty store slug replaced by 'store-<id>'",
  STORE_COUNTRY_TOO_LONG: 'store country longer than the target column: mapped by name or NULL',
  STOREFRONT_REF_DROPPED: 'C2C storefront_id not kept in the column (raw in _monolith.storefront_id_raw)',
  STATUS_PENDING: 'status pending mapped to draft',
  STATUS_DELETED: 'status deleted mapped to archived and soft-deleted',
  STATUS_EMPTY: 'status NULL or empty mapped to draft',
  STATUS_UNKNOWN: 'status outside the known set mapped to draft',
  CURRENCY_INVALID: 'currency not three letters: RSD',
  PRIVACY_APPROXIMATED: 'privacy street/district/city (or unknown) mapped to approximate',
  COUNTER_NULL: 'NULL counter stored as 0',
  CREATED_AT_MISSING: 'created_at NULL: updated_at, else the run time',
  UPDATED_AT_MISSING: 'updated_at NULL: created_at',
  FAVORITE_CREATED_AT_MISSING: "favorite created_at NULL: the listing's created_at (target NOT NULL)",
  PRIMARY_IMAGE_ASSIGNED: 'no image flagged main: the first one made primary',
  EXTRA_PRIMARY_CLEARED: 'several images flagged main: all but the first cleared',
  IMAGE_ORDER_RENUMBERED: 'image order had duplicates or gaps: renumbered 0..n-1',
  IMAGE_URL_FROM_PATH: 'public_url empty: url = file_path',
  LOCATION_FROM_MULTILINGUAL: 'location country/city taken from address_multilingual',
  ATTRIBUTE_MULTI_VALUE: 'several typed columns set: the first in text, numeric, boolean, date, json order',
  ATTRIBUTE_CONFLICT: 'two sources for one attribute key disagree: the unified value wins',
  SOURCE_KEY_COLLISION: 'a source attributes key named _monolith moved to _monolith.source_key_collision',
  FIELD_TOO_LONG: 'an optional text value longer than its target column stored as NULL (raw kept)',
  STOCK_NEGATIVE: 'negative C2C variant stock stored as 0 (target CHECK >= 0; raw in extras)',
  STOCK_STATUS_DERIVED: "stock_status set to what the target's trigger derives from the quantity (raw kept)",
} as const;
export type RepairCode = keyof typeof REPAIR_CODES;

/** Counted and reported; the value is migrated unchanged. */
export const NOTICE_CODES = {
  AMBIGUOUS_LOCAL_TIME: 'naive time in a DST gap or overlap of the source zone, resolved as PostgreSQL does',
  TITLE_OVER_255_BYTES: 'title longer than 255 bytes (legal: the limit counts characters)',
  COORDINATES_OUT_OF_RANGE: 'latitude outside ±90 or longitude outside ±180, stored verbatim',
  COORDINATES_ZERO: 'coordinates exactly (0, 0), stored verbatim',
} as const;
export type NoticeCode = keyof typeof NOTICE_CODES;

/** A mapping precondition that stops the run (exit 4), not a row problem. */
export const PRECONDITION_CODES = {
  SECONDARY_ID_OVERFLOW: 'a secondary source id plus the offset would not fit a target integer',
} as const;
export type PreconditionCode = keyof typeof PRECONDITION_CODES;
