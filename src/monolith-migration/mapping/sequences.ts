/** Target sequence values at the end of a run (§3.13). Pure: the pipeline reads the inputs and runs `setval`. */
import type { SequenceSetting } from './types.ts';

export type SequencedTable =
  | 'listings'
  | 'storefronts'
  | 'c2c_categories'
  | 'inventory_movements'
  | 'listing_images'
  | 'b2c_product_variants';

/** The source sequence each target sequence must pass (ids the monolith handed out are never reused). */
export const SOURCE_SEQUENCE_OF: Readonly<Record<SequencedTable, string>> = {
  listings: 'global_product_id_seq',
  storefronts: 'b2c_stores_id_seq',
  c2c_categories: 'c2c_categories_id_seq',
  inventory_movements: 'b2c_inventory_movements_id_seq',
  listing_images: 'c2c_images_id_seq',
  b2c_product_variants: 'b2c_product_variants_id_seq',
};

/** A source sequence as `SELECT last_value, is_called FROM <seq>` shows it (last_value as text). */
export interface SourceSequenceState {
  readonly lastValue: string;
  readonly isCalled: boolean;
}

export interface SequenceInputs {
  /**
   * max(id) of each target table as text ('0' when empty); for listing_images and b2c_product_variants the max id
   * below the secondary offset (ids at or above it belong to B2C images / C2C variants and never come from the
   * sequence).
   */
  readonly targetMax: Readonly<Record<SequencedTable, string>>;
  /** Source sequences; null when the source has none (the target's own max then decides). */
  readonly source: Readonly<Record<SequencedTable, SourceSequenceState | null>>;
}

/**
 * GREATEST(target max, highest source value handed out) per target sequence. A source sequence with
 * `is_called = false` has not handed out `last_value` yet, so its highest used value is `last_value - 1`.
 * `setval(sequence, value, isCalled)`: value 1 with isCalled false when nothing was used.
 */
export function sequenceSettings(inputs: SequenceInputs): SequenceSetting[] {
  return (Object.keys(SOURCE_SEQUENCE_OF) as SequencedTable[]).map((table) => {
    const state = inputs.source[table];
    const sourceUsed = state === null ? 0n : BigInt(state.lastValue) - (state.isCalled ? 0n : 1n);
    const targetMax = BigInt(inputs.targetMax[table]);
    const value = sourceUsed > targetMax ? sourceUsed : targetMax;
    return value < 1n
      ? { table, sequence: `${table}_id_seq`, value: '1', isCalled: false }
      : { table, sequence: `${table}_id_seq`, value: value.toString(), isCalled: true };
  });
}
