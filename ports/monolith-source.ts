import type {
  B2cProductRelated,
  C2cListingRelated,
  SourceAttributeValueRow,
  SourceB2cFavoriteRow,
  SourceB2cProductImageRow,
  SourceB2cProductRow,
  SourceB2cVariantRow,
  SourceC2cFavoriteRow,
  SourceC2cImageRow,
  SourceC2cListingRow,
  SourceC2cVariantRow,
  SourceCategoryRow,
  SourceGeoRow,
  SourceInventoryMovementRow,
  SourceProductAttributeRow,
  SourceSequenceState,
  SourceStoreRow,
  SourceTable,
  SourceTranslationRow,
  SourceVariantImageRow,
  UtcTimestampText,
} from '../src/monolith-migration/mapping/index.ts';

/**
 * The monolith database as `migrate-from-monolith` reads it (reference monolith.md §1, §4.2): one read-only
 * `REPEATABLE READ` snapshot per run, base tables only (never the `unified_listings` view), values in the lossless
 * text forms of mapping/source-rows.ts.
 */
export interface MonolithSource {
  /**
   * Connects and opens the run's snapshot. Fails with USAGE_INVALID when `sourceZone` is not a zone the source
   * server knows, DEPENDENCY_UNAVAILABLE when the server is unreachable or refuses the credentials, and
   * PRECONDITION_FAILED when a table in scope is missing (unknown shape).
   */
  openSnapshot(options: { readonly sourceZone: string }): Promise<MonolithSnapshot>;
}

/** Which of the monolith's schema versions the source is (§1.1), detected from information_schema. */
export interface SourceShape {
  /** `2025-11-10` when `c2c_images.display_order` exists and `b2c_stores.country` is wider than 2, else `2025-11-01`. */
  readonly name: string;
  readonly imagesDisplayOrder: boolean;
  /** Declared length of `b2c_stores.country` (2 before 2025-11-10, 100 after). */
  readonly storeCountryWidth: number;
  /** `unified_geo` exists (it needs PostGIS; the migration treats it as optional and says so). */
  readonly hasGeo: boolean;
  /** `unified_attribute_values` and `translations` exist. */
  readonly hasAttributeValues: boolean;
  readonly hasTranslations: boolean;
}

/** Source sequences by name, as `SELECT last_value, is_called` shows them; null when the source has none. */
export type SourceSequences = Readonly<Record<string, SourceSequenceState | null>>;

/** One step of a keyset scan: rows after `after` (exclusive), at most about `limit`. */
export interface ScanRequest {
  /** The cursor returned by the previous batch; null for the first. */
  readonly after: string | null;
  /** Rows per batch. Grouped scans (images of one listing) may return more to keep a group whole. */
  readonly limit: number;
  /**
   * `--since`: only rows created or updated at or after this UTC time, for tables that have such columns
   * (listings, products, stores, categories); ignored by the others (§4.4).
   */
  readonly since: UtcTimestampText | null;
}

export interface SourceBatch<R> {
  readonly records: readonly R[];
  /** Cursor after this batch (a text key), or null when the scan is complete. */
  readonly next: string | null;
}

/** The images of one listing (null: images whose listing_id is NULL). */
export interface ImageGroup<R> {
  readonly listingId: number | null;
  readonly rows: readonly R[];
}

/** What one record of each source table carries: the row, plus the related rows its mapping is derived from. */
export interface SourceRecords {
  readonly c2c_categories: SourceCategoryRow;
  readonly b2c_stores: SourceStoreRow;
  readonly c2c_listings: { readonly row: SourceC2cListingRow; readonly related: C2cListingRelated };
  readonly b2c_products: { readonly row: SourceB2cProductRow; readonly related: B2cProductRelated };
  readonly c2c_images: ImageGroup<SourceC2cImageRow>;
  readonly b2c_product_images: ImageGroup<SourceB2cProductImageRow>;
  readonly c2c_listing_variants: SourceC2cVariantRow;
  readonly b2c_product_variants: {
    readonly row: SourceB2cVariantRow;
    readonly images: readonly SourceVariantImageRow[];
    /** unified_attribute_values of entity_type product_variant for this variant. */
    readonly attributeValues: readonly SourceAttributeValueRow[];
  };
  readonly b2c_product_variant_images: SourceVariantImageRow;
  readonly b2c_product_attributes: SourceProductAttributeRow;
  readonly c2c_favorites: SourceC2cFavoriteRow;
  readonly b2c_favorites: SourceB2cFavoriteRow;
  readonly b2c_inventory_movements: SourceInventoryMovementRow;
  readonly unified_attribute_values: SourceAttributeValueRow;
  /** Rows of listings only (source_type c2c_listing or marketplace_listing). */
  readonly unified_geo: SourceGeoRow;
  /** Rows with entity_type `listing` only. */
  readonly translations: SourceTranslationRow;
}

export interface MonolithSnapshot {
  /** The source server's own `TimeZone` (§3.0.3: the run warns when it differs from --source-zone). */
  readonly serverZone: string;
  readonly shape: SourceShape;
  /** When the snapshot was taken, by the source's clock (the last fallback of a missing created_at). */
  readonly snapshotTime: UtcTimestampText;
  /** Where it is, without credentials. */
  readonly location: string;

  /** Tables of the run's scope this source has (unified_geo, unified_attribute_values, translations are optional). */
  has(table: SourceTable): boolean;
  /** Rows in scope (`since` narrows as in {@link ScanRequest}). */
  count(table: SourceTable, since: UtcTimestampText | null): Promise<number>;
  /** The next keyset batch of a table. */
  read<T extends SourceTable>(table: T, request: ScanRequest): Promise<SourceBatch<SourceRecords[T]>>;
  /** Every source key in scope (id_map.source_key form), in batches: what delete detection compares against. */
  keys(table: SourceTable, batchSize: number): AsyncIterable<readonly string[]>;
  /** Largest id of a table (null when empty): the secondary-id overflow precondition (§3.1). */
  maxId(table: SourceTable): Promise<number | null>;
  /** `unified_attributes` id → code (a small reference table). */
  attributeCodes(): Promise<ReadonlyMap<number, string>>;
  /** The sequences §3.13 carries over, by source sequence name (`names`). */
  sequences(names: readonly string[]): Promise<SourceSequences>;
  /** Ends the snapshot and the connection. */
  close(): Promise<void>;
}
