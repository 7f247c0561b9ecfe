/** The monolith mapping (reference monolith.md §3): pure functions the migrate-from-monolith pipeline calls. */
import { mapAttributeValue } from './attribute-values.ts';
import { mapB2cProduct } from './b2c-products.ts';
import { mapC2cListing } from './c2c-listings.ts';
import { mapCategory, mapStore } from './categories-and-stores.ts';
import { mapCompletion } from './completions.ts';
import { mapB2cFavorite, mapC2cFavorite, mapInventoryMovement } from './favorites-and-movements.ts';
import { mapB2cProductImages, mapC2cImages } from './images.ts';
import { mapB2cVariant, mapC2cVariant } from './variants.ts';

export { mapAttributeValue, typedValue } from './attribute-values.ts';
export { derivedProductStockStatus, mapB2cProduct } from './b2c-products.ts';
export { mapC2cListing } from './c2c-listings.ts';
export * from './canonical-text.ts';
export { mapCategory, mapStore } from './categories-and-stores.ts';
export * from './codes.ts';
export { mapCompletion } from './completions.ts';
export * from './constants.ts';
export { countryKey, DEFAULT_COUNTRY_CODES } from './country-codes.ts';
export { decimalAtScale, plainDecimal } from './decimals.ts';
export {
  favoritesPerListing,
  mapB2cFavorite,
  mapC2cFavorite,
  mapInventoryMovement,
} from './favorites-and-movements.ts';
export { mapB2cProductImages, mapC2cImages } from './images.ts';
export { offsetId } from './mapping-result.ts';
export * from './sequences.ts';
export { mapB2cStatus, mapC2cStatus, type StatusMapping, type TargetStatus } from './status-map.ts';
export * from './target-columns.ts';
export { isKnownZone, naiveToUtc, TimestampRangeError, tstzToUtc, type ZonedConversion } from './timestamps.ts';
export type * from './types.ts';
export { listingUuid, uuidV5 } from './uuid-v5.ts';
export { derivedVariantStockStatus, mapB2cVariant, mapC2cVariant } from './variants.ts';
export * from './verify-keys.ts';

/** Every per-table function, in the shape the pipeline's MonolithMapping expects. */
export const MONOLITH_MAPPING_FUNCTIONS = {
  category: mapCategory,
  store: mapStore,
  c2cListing: mapC2cListing,
  b2cProduct: mapB2cProduct,
  c2cImages: mapC2cImages,
  b2cProductImages: mapB2cProductImages,
  attributeValue: mapAttributeValue,
  c2cVariant: mapC2cVariant,
  b2cVariant: mapB2cVariant,
  c2cFavorite: mapC2cFavorite,
  b2cFavorite: mapB2cFavorite,
  inventoryMovement: mapInventoryMovement,
  completion: mapCompletion,
} as const;
