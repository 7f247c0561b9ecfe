/**
 * The copy of each listing's side rows (images, attributes, tags, location) that listing reads return, kept by the
 * database whenever a side table is written. It can only drift when that upkeep was bypassed (triggers disabled, a
 * data-only restore, hand-written SQL); `listings validate` looks for drift and `--fix` rebuilds it.
 * Adapter: `adapters/sql/knex-side-rows-copy.ts` (PostgreSQL and PGlite).
 */
export interface SideRowsCopy {
  /**
   * Examines the listings (live or deleted) with id > `afterId`, in id order, at most `limit` (1..1000), and returns
   * those whose copy differs from their side tables, read in one snapshot. `nextAfterId` is the last id examined
   * when a full batch came back, else null (done).
   */
  findDrifted(afterId: number, limit: number): Promise<SideRowsCopyBatch>;

  /** Rebuilds the copy of these listings from their side tables; ids without a listing are ignored. */
  rebuild(listingIds: readonly number[]): Promise<void>;
}

export interface SideRowsCopyBatch {
  readonly examined: number;
  readonly drifted: readonly number[];
  readonly nextAfterId: number | null;
}
