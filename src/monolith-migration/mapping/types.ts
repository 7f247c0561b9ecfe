/**
 * The interface of the monolith mapping (reference monolith.md §3): what the pipeline passes in, what it gets back,
 * and one pure function per source table. No I/O and no clock: everything a rule needs arrives as an argument.
 *
 * Stable contract: extend, do not break.
 */
import type { NoticeCode, RejectCode, RepairCode } from './codes.ts';
import type {
  JsonText,
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
  SourceStoreRow,
  SourceTranslationRow,
  SourceVariantImageRow,
} from './source-rows.ts';
import type {
  TargetCategoryRow,
  TargetFavoriteRow,
  TargetInventoryMovementRow,
  TargetListingAttributeRow,
  TargetListingImageRow,
  TargetListingLocationRow,
  TargetListingRow,
  TargetStorefrontRow,
  TargetVariantRow,
  UtcTimestampText,
  VariantAttributeValue,
} from './target-rows.ts';

export type { NoticeCode, PreconditionCode, RejectCode, RepairCode } from './codes.ts';
export type * from './source-rows.ts';
export type * from './target-rows.ts';

/** Source tables in scope (id_map.source_table, rejects.source_table). */
export type SourceTable =
  | 'c2c_categories'
  | 'b2c_stores'
  | 'c2c_listings'
  | 'b2c_products'
  | 'c2c_images'
  | 'b2c_product_images'
  | 'c2c_listing_variants'
  | 'b2c_product_variants'
  | 'b2c_product_variant_images'
  | 'b2c_product_attributes'
  | 'c2c_favorites'
  | 'b2c_favorites'
  | 'b2c_inventory_movements'
  | 'unified_attribute_values'
  | 'unified_geo'
  | 'translations';

export type TargetTable =
  | 'c2c_categories'
  | 'storefronts'
  | 'listings'
  | 'listing_locations'
  | 'listing_attributes'
  | 'listing_images'
  | 'b2c_product_variants'
  | 'c2c_favorites'
  | 'inventory_movements';

/** Run options that change the mapping (§3.14 opt-in alternatives). Part of every row hash. */
export interface MappingOptions {
  /** `--reject title`: short titles are rejected (`TITLE_TOO_SHORT`) instead of repaired. */
  readonly rejectShortTitle: boolean;
  /** `--price-fallback <amount>`: decimal text used for NULL / non-positive prices (row forced to draft). */
  readonly priceFallback: string | null;
  /** `--owner-fallback <user_id>` (row forced to draft). */
  readonly ownerFallback: number | null;
  /** `--category-fallback <id>` (row forced to draft). */
  readonly categoryFallback: number | null;
}

/** What §3 needs besides the row itself. Lookups are over small tables the pipeline holds in memory. */
export interface MappingContext {
  /** IANA zone of the monolith's naive timestamps (`--source-zone`, default `UTC`). */
  readonly sourceZone: string;
  /** Snapshot time of the run, UTC canonical text: the last fallback for a missing created_at (§3.4). */
  readonly runTime: UtcTimestampText;
  readonly options: MappingOptions;
  /** Width of `storefronts.country` in the target (2 in migrations/…002; 100 if widened as §3.3 recommends). */
  readonly storefrontCountryWidth: number;
  /** Country names (lower-cased, trimmed) → ISO 3166-1 alpha-2 codes, for store countries too long (§3.3). */
  readonly countryCodes: ReadonlyMap<string, string>;
  /** True when the category is in the target or is migrated by this run (categories load first). */
  categoryExists(id: number): boolean;
  /** The owner (`b2c_stores.user_id`) of a store migrated by this run or earlier; undefined when missing/rejected. */
  storeOwner(storeId: number): number | undefined;
  /** `unified_attributes.code` of an attribute id; undefined when unknown. */
  attributeCode(attributeId: number): string | undefined;
}

/** The listing a child row belongs to, as the pipeline found it (source snapshot + id map + rejects). */
export type ParentListing =
  | { readonly state: 'migrated'; readonly id: number; readonly createdAt: UtcTimestampText }
  | { readonly state: 'rejected'; readonly id: number }
  | { readonly state: 'missing' };

/** A parent that is not a listing (a variant for its images, an attribute definition). */
export type ParentPresence = 'migrated' | 'rejected' | 'missing';

/** One repair or notice, as listed in `_monolith.repairs` / extras and counted in the report. */
export interface MappingIssue<C extends string = RepairCode | NoticeCode> {
  readonly code: C;
  readonly field: string;
  /** The source value before the repair, as text; null when it was NULL. */
  readonly raw: string | null;
}

export interface Mapped<T> {
  readonly kind: 'mapped';
  readonly sourceTable: SourceTable;
  /** id_map.source_key: the id as decimal text, `"<user_id>:<listing_id>"` for favorites. */
  readonly sourceKey: string;
  readonly targetTable: TargetTable;
  /** The target row's key as text: id, listing id (locations), `"<listing_id>:<key>"`, `"<user_id>:<listing_id>"`. */
  readonly targetKey: string;
  readonly row: T;
  /** md5 (hex) of MAPPING_VERSION, the canonical source row, everything else the row is derived from, options. */
  readonly hash: string;
  readonly repairs: readonly MappingIssue<RepairCode>[];
  readonly notices: readonly MappingIssue<NoticeCode>[];
  /** id_map.extras: source data with no target column (null when none). */
  readonly extras: JsonText | null;
}

export interface Rejected {
  readonly kind: 'rejected';
  readonly sourceTable: SourceTable;
  readonly sourceKey: string;
  readonly code: RejectCode;
  /** One line naming the offending value. */
  readonly detail: string;
  /** The whole source row as JSON (rejects.source_row). */
  readonly sourceRow: JsonText;
  readonly hash: string;
}

export type MappingResult<T> = Mapped<T> | Rejected;

/** What one listing source row becomes: the listing and the side rows derived from the same source row. */
export interface ListingBundle {
  readonly listing: TargetListingRow;
  /** §3.7; null when the source row has no location data. */
  readonly location: TargetListingLocationRow | null;
  /** §3.8 `condition` from c2c_listings.condition; null when absent or when a unified `condition` value wins. */
  readonly conditionAttribute: TargetListingAttributeRow | null;
}

/** Rows of other source tables a C2C listing is derived from (all may be empty). */
export interface C2cListingRelated {
  /** unified_geo rows with source_type c2c_listing or marketplace_listing and source_id = the listing id. */
  readonly geo: readonly SourceGeoRow[];
  /** translations with entity_type 'listing' and entity_id = the listing id. */
  readonly translations: readonly SourceTranslationRow[];
  /** Number of c2c_listing_variants rows of the listing (has_variants). */
  readonly variantCount: number;
  /** Number of c2c_favorites rows of the listing. */
  readonly favoritesCount: number;
  /** The unified_attribute_values row (entity_type listing) whose attribute code is `condition`, if any. */
  readonly unifiedCondition: SourceAttributeValueRow | null;
}

export interface B2cProductRelated {
  /** b2c_product_attributes rows of the product. */
  readonly attributeSettings: readonly SourceProductAttributeRow[];
  /** Number of b2c_favorites rows of the product. */
  readonly favoritesCount: number;
}

export interface B2cVariantRelated {
  /** b2c_product_variant_images rows of the variant. */
  readonly images: readonly SourceVariantImageRow[];
  /** unified_attribute_values of entity_type product_variant for this variant, mapped by {@link MapAttributeValue}. */
  readonly attributeValues: readonly VariantAttributeValue[];
}

/** A row of a `_monolith` completion source (translations, geo, product attribute settings, variant images). */
export interface CompletionMembership {
  /** The target row that absorbed the source row (listings or b2c_product_variants). */
  readonly targetTable: 'listings' | 'b2c_product_variants';
  readonly targetId: number;
}

export type MapCategory = (row: SourceCategoryRow, ctx: MappingContext) => MappingResult<TargetCategoryRow>;
export type MapStore = (row: SourceStoreRow, ctx: MappingContext) => MappingResult<TargetStorefrontRow>;
export type MapC2cListing = (
  row: SourceC2cListingRow,
  related: C2cListingRelated,
  ctx: MappingContext,
) => MappingResult<ListingBundle>;
export type MapB2cProduct = (
  row: SourceB2cProductRow,
  related: B2cProductRelated,
  ctx: MappingContext,
) => MappingResult<ListingBundle>;
/** All images of one listing at once (order and primary depend on the siblings, §3.9). */
export type MapC2cImages = (
  rows: readonly SourceC2cImageRow[],
  parent: ParentListing,
  ctx: MappingContext,
) => MappingResult<TargetListingImageRow>[];
export type MapB2cProductImages = (
  rows: readonly SourceB2cProductImageRow[],
  parent: ParentListing,
  ctx: MappingContext,
) => MappingResult<TargetListingImageRow>[];
/**
 * listing/product values → listing_attributes; product_variant values → merged into their variant (pass them to
 * {@link MapB2cVariant}). For product_variant values `parent` describes the variant (`id` = variant id).
 */
export type MapAttributeValue = (
  row: SourceAttributeValueRow,
  parent: ParentListing,
  ctx: MappingContext,
) => MappingResult<TargetListingAttributeRow | VariantAttributeValue>;
export type MapB2cVariant = (
  row: SourceB2cVariantRow,
  related: B2cVariantRelated,
  parent: ParentListing,
  ctx: MappingContext,
) => MappingResult<TargetVariantRow>;
export type MapC2cVariant = (
  row: SourceC2cVariantRow,
  parent: ParentListing,
  ctx: MappingContext,
) => MappingResult<TargetVariantRow>;
export type MapC2cFavorite = (
  row: SourceC2cFavoriteRow,
  parent: ParentListing,
  ctx: MappingContext,
) => MappingResult<TargetFavoriteRow>;
export type MapB2cFavorite = (
  row: SourceB2cFavoriteRow,
  parent: ParentListing,
  ctx: MappingContext,
) => MappingResult<TargetFavoriteRow>;
export type MapInventoryMovement = (
  row: SourceInventoryMovementRow,
  parent: ParentListing,
  ctx: MappingContext,
) => MappingResult<TargetInventoryMovementRow>;
/** Accounting of translations, geo rows, product attribute settings and variant images (absorbed by a parent). */
export type MapCompletion = (
  sourceTable: 'translations' | 'unified_geo' | 'b2c_product_attributes' | 'b2c_product_variant_images',
  row: SourceTranslationRow | SourceGeoRow | SourceProductAttributeRow | SourceVariantImageRow,
  parent: { readonly state: ParentPresence; readonly targetId?: number },
  ctx: MappingContext,
) => MappingResult<CompletionMembership>;

/** §3.13: one target sequence and the value to set it to: `setval(sequence, value, isCalled)`. */
export interface SequenceSetting {
  readonly sequence: string;
  readonly value: string;
  /** The target table the sequence feeds (its `id` default). */
  readonly table: string;
  /** False only when nothing was ever used (value 1, next nextval returns 1). */
  readonly isCalled: boolean;
}
