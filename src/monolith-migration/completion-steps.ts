import type { SourceRecords } from '../../ports/monolith-source.ts';
import type { ParentPresence, SourceTable } from './mapping/index.ts';
import type { RowOutcome, Step, StepEnv } from './step.ts';

type CompletionTable = 'translations' | 'unified_geo' | 'b2c_product_attributes' | 'b2c_product_variant_images';

/**
 * Rows absorbed into their parent's `_monolith` or extras (§3.12): translations, geo rows, product attribute
 * settings, variant images. Their content reaches the target through the parent's own mapping (and hash); here
 * each one is only accounted for, so every source row is migrated or rejected (§3.0.4). No target writes.
 */
function completionStep<T extends CompletionTable>(
  table: T,
  parentTable: SourceTable,
  parentId: (row: SourceRecords[T]) => number,
): Step<T> {
  return {
    table,
    deleteRule: 'bookkeeping-only',
    async map(rows: readonly SourceRecords[T][], env: StepEnv): Promise<RowOutcome[]> {
      const presence = await env.parents.presence(parentTable, rows.map(parentId));
      return rows.map((row) => {
        const id = parentId(row);
        const state: ParentPresence = presence(id);
        const parent = state === 'migrated' ? { state, targetId: id } : { state };
        return { result: env.mapping.completion(table, row, parent, env.ctx), sourceRow: row, writes: [] };
      });
    },
  };
}

export const translationsStep = completionStep('translations', 'c2c_listings', (row) => row.entity_id);
export const geoStep = completionStep('unified_geo', 'c2c_listings', (row) => Number(row.source_id));
export const productAttributesStep = completionStep('b2c_product_attributes', 'b2c_products', (row) => row.product_id);
export const variantImagesStep = completionStep(
  'b2c_product_variant_images',
  'b2c_product_variants',
  (row) => row.variant_id,
);
