/**
 * Source rows absorbed by a parent row instead of getting their own (§3.12, §3.10): translations and unified_geo
 * rows (into the listing's `_monolith`), b2c_product_attributes (into the product's `_monolith`), variant images
 * (into the variant's extras). Each still needs an id-map entry or a reject so that source = migrated + rejected.
 */
import { hashOf, IssueLog, mapRow, reject } from './mapping-result.ts';
import type { CompletionMembership, MapCompletion } from './types.ts';

const ABSORBED_BY = {
  translations: 'listings',
  unified_geo: 'listings',
  b2c_product_attributes: 'listings',
  b2c_product_variant_images: 'b2c_product_variants',
} as const;

/** `parent.targetId` is the listing (or variant) id; required when `parent.state` is `migrated`. */
export const mapCompletion: MapCompletion = (sourceTable, row, parent, ctx) => {
  const targetTable = ABSORBED_BY[sourceTable];
  const identity = {
    sourceTable,
    sourceKey: String(row.id),
    targetTable,
    row,
    hash: hashOf(sourceTable, row, ctx, [parent.state]),
  };
  return mapRow<CompletionMembership>(identity, new IssueLog(), () => {
    if (parent.state === 'missing') reject('PARENT_MISSING', `the ${targetTable} row this belongs to does not exist`);
    if (parent.state === 'rejected') reject('PARENT_REJECTED', `its ${targetTable} row was rejected`);
    if (parent.targetId === undefined)
      throw new TypeError(`${sourceTable} ${row.id}: a migrated parent needs targetId`);
    return { targetKey: String(parent.targetId), row: { targetTable, targetId: parent.targetId } };
  });
};
