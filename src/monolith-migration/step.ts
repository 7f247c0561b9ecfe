import type { SourceRecords } from '../../ports/monolith-source.ts';
import type { DeleteRule, TargetRowValues } from '../../ports/monolith-target.ts';
import type { MappingContext, MappingResult, SourceTable, TargetTable } from './mapping/index.ts';
import type { MonolithMapping } from './monolith-mapping.ts';
import type { ParentLookup } from './parent-lookup.ts';

/** What one source row became, with everything the pipeline needs to write and report it. */
export interface RowOutcome {
  readonly result: MappingResult<unknown>;
  /** The source row, for a reject the pipeline decides itself (TARGET_ID_TAKEN). */
  readonly sourceRow: unknown;
  /** Target rows written when the source row changed (a listing bundle writes up to three). */
  readonly writes: readonly { readonly table: TargetTable; readonly row: TargetRowValues }[];
  /** Rows derived from this source row that it no longer has: removed when it is rewritten. */
  readonly removals?: readonly {
    readonly table: 'listing_locations' | 'listing_attributes';
    readonly attributeKey?: string;
  }[];
  /** The listing `removals` apply to. */
  readonly listingId?: number;
  /** Raw source status (normalised) and the target status, for the status matrix (§3.6). */
  readonly status?: { readonly raw: string; readonly target: string };
  /** For parent tables: the created_at other steps see (listings), registered under the numeric source key. */
  readonly createdAt?: string | null;
}

export interface StepEnv {
  readonly mapping: MonolithMapping;
  readonly ctx: MappingContext;
  readonly parents: ParentLookup;
}

/** One source table of the pipeline (§3.2 order), mapped a batch at a time. */
export interface Step<T extends SourceTable = SourceTable> {
  readonly table: T;
  /** What a source delete (or a now-rejected row) removes in the target (§4.4). */
  readonly deleteRule: DeleteRule;
  /** Later steps look up this table's rows as parents (listings, variants). */
  readonly parent?: boolean;
  /**
   * Batches of this table hold this many times `--batch-size` rows (default 1): for tables whose rows are small,
   * so a batch of them holds far less memory than one of listings, and every batch pays fixed statements.
   */
  readonly batchScale?: number;
  map(records: readonly SourceRecords[T][], env: StepEnv): Promise<RowOutcome[]>;
}

/** A mapped row's single target row, for the steps where the mapping's row is the target row. */
export function single(table: TargetTable, result: MappingResult<unknown>, sourceRow: unknown): RowOutcome {
  return {
    result,
    sourceRow,
    writes: result.kind === 'mapped' ? [{ table, row: result.row as TargetRowValues }] : [],
  };
}
