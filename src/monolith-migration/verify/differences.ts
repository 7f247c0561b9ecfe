/** What verify found, layer by layer (§4.8): each difference names the table, the row and the field. */
export type VerifyLayer =
  | 'counts'
  | 'source_changes'
  | 'status_matrix'
  | 'sums'
  | 'id_sets'
  | 'checksums'
  | 'sample'
  | 'sequences';

export type DifferenceValue = string | number | boolean | null;

export interface Difference {
  readonly layer: VerifyLayer;
  readonly table: string;
  /** The row: an id, `user_id:listing_id`, `listing_id:attribute_key`, a bucket `bucket 12`, or null for a table. */
  readonly id: string | null;
  /** The column, `(row)` for a row present on one side only, `(count)` for a count. */
  readonly field: string | null;
  readonly expected: DifferenceValue;
  readonly actual: DifferenceValue;
}

/** Differences listed per layer and table; beyond this many only counted. */
export const LISTED_PER_TABLE = 50;

/** Collects differences: all counted, the first {@link LISTED_PER_TABLE} of each layer and table kept. */
export class DifferenceLog {
  readonly #listed: Difference[] = [];
  readonly #counts = new Map<string, number>();

  add(difference: Difference): void {
    const key = `${difference.layer}\u001f${difference.table}`;
    const count = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.set(key, count);
    if (count <= LISTED_PER_TABLE) this.#listed.push(difference);
  }

  get total(): number {
    let total = 0;
    for (const count of this.#counts.values()) total += count;
    return total;
  }

  /** Count per layer. */
  byLayer(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, count] of this.#counts) {
      const layer = key.split('\u001f')[0] as string;
      out[layer] = (out[layer] ?? 0) + count;
    }
    return out;
  }

  count(layer: VerifyLayer, table?: string): number {
    let total = 0;
    for (const [key, count] of this.#counts) {
      const [l, t] = key.split('\u001f');
      if (l === layer && (table === undefined || t === table)) total += count;
    }
    return total;
  }

  listed(layer?: VerifyLayer): readonly Difference[] {
    return layer === undefined ? this.#listed : this.#listed.filter((d) => d.layer === layer);
  }
}
