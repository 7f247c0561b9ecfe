/** Constants of reference monolith.md §3.1. */

/** UUIDv5 namespace of derived listing UUIDs (= UUIDv5(URL namespace, `urn:listings:monolith:v1`)). */
export const UUID_NAMESPACE = '5a73a709-aa66-5050-9afd-33adafea7900';

/** Added to ids of secondary sources (b2c_product_images, c2c_listing_variants) so they never meet primary ids. */
export const SECONDARY_ID_OFFSET = 1_000_000_000;

/** Largest target `integer`: a secondary id above `INT4_MAX - SECONDARY_ID_OFFSET` is a precondition failure. */
export const INT4_MAX = 2_147_483_647;

/** Reserved key of `listings.attributes` holding source data with no target column. */
export const MONOLITH_KEY = '_monolith';

/**
 * Version of these rules, hashed into every row hash (§4.3 step 2): raising it makes the next run rewrite every
 * row once. Raise it whenever a rule changes what a row maps to.
 */
export const MAPPING_VERSION = 'monolith-mapping/1';

/** Canonical text (§3.1): NULL, field separator (U+001F), row separator. */
export const CANONICAL_NULL = '\\N';
export const FIELD_SEPARATOR = '\u001f';
export const ROW_SEPARATOR = '\n';

/** Verify buckets ids by this many (§4.8). */
export const VERIFY_BUCKET_SIZE = 10_000;
