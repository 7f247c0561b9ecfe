import type {
  MapAttributeValue,
  MapB2cFavorite,
  MapB2cProduct,
  MapB2cProductImages,
  MapB2cVariant,
  MapC2cFavorite,
  MapC2cImages,
  MapC2cListing,
  MapC2cVariant,
  MapCategory,
  MapCompletion,
  MapInventoryMovement,
  MapStore,
} from './mapping/index.ts';

/**
 * The mapping functions the pipeline calls (mapping/types.ts), one per source table, handed in by the
 * composition root so the pipeline never reaches for a rule itself.
 */
export interface MonolithMapping {
  readonly category: MapCategory;
  readonly store: MapStore;
  readonly c2cListing: MapC2cListing;
  readonly b2cProduct: MapB2cProduct;
  readonly c2cImages: MapC2cImages;
  readonly b2cProductImages: MapB2cProductImages;
  readonly attributeValue: MapAttributeValue;
  readonly c2cVariant: MapC2cVariant;
  readonly b2cVariant: MapB2cVariant;
  readonly c2cFavorite: MapC2cFavorite;
  readonly b2cFavorite: MapB2cFavorite;
  readonly inventoryMovement: MapInventoryMovement;
  readonly completion: MapCompletion;
}
