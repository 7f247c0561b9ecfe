import type {
  ParentListing,
  ParentPresence,
  SequencedTable,
  SequenceSetting,
  SourceTable,
  TargetTable,
} from '../src/monolith-migration/mapping/index.ts';

/**
 * The target database as `migrate-from-monolith` writes it (reference monolith.md §4): the listings schema plus the
 * bookkeeping schema `monolith_migration` (runs, checkpoints, id_map, rejects). One connection per run, which holds
 * the run's advisory lock.
 *
 * Guarantees an adapter must keep:
 * - {@link writeBatch} is one transaction: target rows, id_map, rejects, outbox entries and the checkpoint commit
 *   together or not at all, so a kill loses at most the batch in flight.
 * - Target rows are upserted set-based and rewritten only when a column differs (`IS DISTINCT FROM`): a rerun over
 *   an unchanged source changes no target row, not even `updated_at` or `version`.
 * - Migration writes keep the `updated_at` they carry (the target's trigger honours the migration's flag, §4.3).
 * - Only rows listed in id_map are updated or deleted (§3.0.6); {@link takenIds} names ids used by other rows.
 * - Values cross this port as plain JS values: numbers, booleans, and text (decimals, timestamps, JSON).
 */
export interface MonolithTarget {
  /** Where it is, without credentials. */
  readonly location: string;

  /** PRECONDITION_FAILED unless the schema has the bookkeeping migration (run `listings migrate latest`). */
  checkSchema(): Promise<void>;
  /** Takes the run's session advisory lock; false when another run holds it. Released by {@link close}. */
  tryLock(): Promise<boolean>;

  /** The newest run, whatever its status; null before the first. */
  lastRun(): Promise<RunRecord | null>;
  /** The newest completed run; null when none completed. */
  lastCompletedRun(): Promise<RunRecord | null>;
  /** Runs left `running` (their process died: we hold the lock) become `interrupted`. Returns their checkpoints. */
  closeAbandonedRuns(): Promise<readonly Checkpoint[]>;
  startRun(run: NewRun): Promise<void>;
  finishRun(runId: string, status: RunStatus, counts: unknown): Promise<void>;

  /** Width of `storefronts.country` (2 in the original schema). */
  storefrontCountryWidth(): Promise<number>;
  /** Every category id in the target (a small reference table). */
  categoryIds(): Promise<ReadonlySet<number>>;
  /** Owners of the stores the migration wrote and did not see deleted: storefront id → user_id. */
  storeOwners(): Promise<ReadonlyMap<number, number>>;

  /** Whether id_map or rejects hold any entry of `sourceTable` (live or deleted). */
  hasBookkeeping(sourceTable: SourceTable): Promise<boolean>;
  /** id_map hashes of live (not deleted) entries among `keys`. */
  knownHashes(sourceTable: SourceTable, keys: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** How earlier runs left these listings (id_map of `sourceTable`, rejects, the listing's created_at). */
  listingParents(
    sourceTable: 'c2c_listings' | 'b2c_products',
    ids: readonly number[],
  ): Promise<ReadonlyMap<number, ParentListing>>;
  /** Presence of non-listing parents (variants, attribute definitions) in id_map / rejects of `sourceTable`. */
  presence(sourceTable: SourceTable, keys: readonly string[]): Promise<ReadonlyMap<string, ParentPresence>>;
  /** Ids among `ids` of rows of `table` the migration did not write (keyed tables with an `id` only). */
  takenIds(table: TargetTable, ids: readonly string[]): Promise<ReadonlySet<string>>;

  /**
   * A target row (or, below, an id_map entry) in the adapter's wire form, for {@link TableWrite.encoded}: the
   * pipeline encodes a batch's rows while the previous batch is being written, so that the CPU work overlaps the
   * server's and the batch's transaction only sends them. No I/O; a row encoded this way must write exactly
   * what the same row given without its encoding writes.
   */
  encodeRow(table: TargetTable, row: TargetRowValues): EncodedRow;
  encodeIdMapEntry(entry: IdMapWrite): EncodedRow;

  writeBatch(batch: BatchWrite): Promise<BatchOutcome>;

  /**
   * Delete detection (§4.4): live id_map entries of `sourceTable` whose key is absent from `sourceKeys` (every key
   * in scope at the source snapshot). With `apply`, their target rows are removed by `rule` and the entries marked
   * deleted, and reject entries of keys absent from the source are dropped (nothing left to reconcile); without it
   * (dry run) the entries are only counted. Returns the number of id_map entries.
   */
  detectDeletes(request: DeleteRequest, sourceKeys: AsyncIterable<readonly string[]>): Promise<DeleteOutcome>;

  /** Per source table: live id_map entries and rejects (§4.8 counts layer). */
  reconcile(sourceTable: SourceTable): Promise<{ readonly migrated: number; readonly rejected: number }>;

  /**
   * max(id) per sequenced target table as text ('0' when empty); listing_images and b2c_product_variants count only
   * ids below the secondary offset (§3.13 inputs).
   */
  sequenceMaxima(): Promise<Readonly<Record<SequencedTable, string>>>;
  /** `setval` of each table's id sequence, never moving one backwards, in one transaction. */
  setSequences(settings: readonly SequenceSetting[]): Promise<void>;

  close(): Promise<void>;
}

export type RunMode = 'full' | 'catch-up' | 'verify' | 'dry-run';
export type RunStatus = 'running' | 'completed' | 'failed' | 'interrupted';

export interface RunRecord {
  readonly runId: string;
  readonly mode: RunMode;
  readonly status: RunStatus;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
}

export interface NewRun {
  readonly runId: string;
  readonly mode: RunMode;
  readonly sourceZone: string;
  readonly sourceServerZone: string;
  readonly sourceShape: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly toolVersion: string;
}

export interface Checkpoint {
  readonly runId: string;
  readonly sourceTable: SourceTable;
  readonly lastKey: string | null;
  readonly rowsRead: number;
}

/** A target row: column → value (numbers, booleans, text), as the mapping produced it. */
export type TargetRowValues = Readonly<Record<string, string | number | boolean | null>>;

declare const encodedRowBrand: unique symbol;
/** What {@link MonolithTarget.encodeRow} made of a row: opaque outside the adapter. */
export type EncodedRow = { readonly [encodedRowBrand]: true };

export interface TableWrite {
  readonly table: TargetTable;
  readonly rows: readonly TargetRowValues[];
  /** `encodeRow(table, rows[i])` for every i, when the pipeline encoded them ahead; else the adapter encodes. */
  readonly encoded?: readonly EncodedRow[];
}

/**
 * Rows derived from a listing's own source row that the rewritten listing no longer has (its location, its
 * `condition` attribute): removed for these listings when the batch does not write them again.
 */
export interface DerivedRemoval {
  readonly table: 'listing_locations' | 'listing_attributes';
  readonly listingIds: readonly number[];
  /** listing_attributes: only this key. */
  readonly attributeKey?: string;
}

export interface IdMapWrite {
  readonly sourceKey: string;
  readonly targetTable: TargetTable;
  readonly targetId: string;
  readonly hash: string;
  /** JSON text, or null. */
  readonly extras: string | null;
  /** `encodeIdMapEntry` of this entry, when the pipeline encoded it ahead. */
  readonly encoded?: EncodedRow;
}

export interface RejectWrite {
  readonly sourceKey: string;
  readonly code: string;
  readonly detail: string;
  /** JSON text of the whole source row. */
  readonly sourceRow: string;
}

/**
 * What removing a migrated row means for its source table (§4.4): a listing is soft-deleted (its owned children
 * hard-deleted); an owned child row is hard-deleted; categories, stores and rows absorbed into a parent
 * (translations, geo, settings, variant images, variant attribute values) only leave id_map: their parent's hash
 * covers them, and categories/stores may still be referenced.
 */
export type DeleteRule = 'soft-delete-listing' | 'hard-delete' | 'bookkeeping-only';

export interface BatchWrite {
  readonly runId: string;
  readonly sourceTable: SourceTable;
  readonly writes: readonly TableWrite[];
  readonly removals: readonly DerivedRemoval[];
  readonly idMap: readonly IdMapWrite[];
  readonly rejects: readonly RejectWrite[];
  /** Keys migrated by this batch: their reject entries (if any) are removed. */
  readonly migratedKeys: readonly string[];
  /** Keys live in id_map that this batch rejected: their target rows are withdrawn by `deleteRule`. */
  readonly withdrawnKeys: readonly string[];
  readonly deleteRule: DeleteRule;
  readonly checkpoint: {
    readonly lastKey: string | null;
    readonly rowsRead: number;
    readonly rowsWritten: number;
    readonly rowsRejected: number;
  };
  /** Enqueue one outbox entry per listing changed by this batch (false with --no-enqueue). */
  readonly enqueue: boolean;
  /**
   * The scan's first load of `sourceTable`: id_map and rejects held no entry of it when the scan began, under the
   * run's lock, so none of this batch's keys can be there: id_map rows are appended (no conflict handling) and no
   * reject entry needs clearing.
   */
  readonly firstLoad: boolean;
}

export interface TableCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

export interface BatchOutcome {
  readonly byTable: Readonly<Partial<Record<TargetTable, TableCounts>>>;
  /** Listings enqueued for indexing. */
  readonly enqueued: number;
}

export interface DeleteRequest {
  readonly runId: string;
  readonly sourceTable: SourceTable;
  readonly rule: DeleteRule;
  readonly apply: boolean;
  readonly enqueue: boolean;
}

export interface DeleteOutcome {
  readonly deleted: number;
  readonly enqueued: number;
}
