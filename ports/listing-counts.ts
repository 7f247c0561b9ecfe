import type { BucketCounts } from './search-index-maintenance.ts';

/**
 * Grouped counts of the listings PostgreSQL holds, for `listings validate --quick` (compared with
 * `SearchIndexMaintenance.countDocuments`). Adapter: `adapters/sql/knex-listing-counts.ts` (PostgreSQL and PGlite).
 */
export interface ListingCounts {
  /**
   * The searchable rows (active, public, not deleted: what the index must hold, as `ListingRepository.listForReindex`
   * walks them by default), counted in all, per status and per category, from one snapshot. No row is read.
   * An unreachable database is `DEPENDENCY_UNAVAILABLE`.
   */
  searchable(): Promise<BucketCounts>;
}
