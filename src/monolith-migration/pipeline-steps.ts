import {
  attributeValuesStep,
  b2cFavoritesStep,
  b2cProductImagesStep,
  b2cVariantsStep,
  c2cFavoritesStep,
  c2cImagesStep,
  c2cVariantsStep,
  movementsStep,
} from './child-steps.ts';
import { geoStep, productAttributesStep, translationsStep, variantImagesStep } from './completion-steps.ts';
import type { SourceTable } from './mapping/index.ts';
import { b2cProductsStep, c2cListingsStep, categoriesStep, storesStep } from './parent-steps.ts';
import type { Step } from './step.ts';

/**
 * The source tables in §3.2 order: a table's parents always come before it, so child steps find their parents in
 * this run's outcomes. (The "parallel" groups of §3.2 run one after the other here: the machine this runs on and the
 * single source snapshot connection gain nothing from interleaving them.)
 */
export const PIPELINE: readonly Step[] = [
  categoriesStep,
  storesStep,
  c2cListingsStep,
  b2cProductsStep,
  c2cImagesStep,
  b2cProductImagesStep,
  c2cVariantsStep,
  b2cVariantsStep,
  attributeValuesStep,
  c2cFavoritesStep,
  b2cFavoritesStep,
  movementsStep,
  translationsStep,
  geoStep,
  productAttributesStep,
  variantImagesStep,
] as readonly Step[];

/** Tables `--since` narrows (they have created_at/updated_at); every other table is always scanned whole (§4.4). */
export const NARROWED_BY_SINCE: ReadonlySet<SourceTable> = new Set([
  'c2c_categories',
  'b2c_stores',
  'c2c_listings',
  'b2c_products',
]);

/** Source tables whose ids get the secondary offset (§3.1): an id past INT4_MAX − offset cannot be migrated. */
export const OFFSET_TABLES: readonly SourceTable[] = ['b2c_product_images', 'c2c_listing_variants'];
