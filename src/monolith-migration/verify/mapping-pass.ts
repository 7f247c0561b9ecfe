import type { MonolithSnapshot } from '../../../ports/monolith-source.ts';
import type { MonolithTarget } from '../../../ports/monolith-target.ts';
import type { MappingOptions, Rejected, SourceTable } from '../mapping/index.ts';
import type { MonolithMapping } from '../monolith-mapping.ts';
import { OutcomeRegistry } from '../outcome-registry.ts';
import { ParentLookup } from '../parent-lookup.ts';
import { PIPELINE } from '../pipeline-steps.ts';
import { RunContext } from '../run-context.ts';
import type { RowOutcome, Step } from '../step.ts';

/**
 * The run's clock as verify maps it. A row whose source has neither created_at nor updated_at gets the snapshot
 * time of the run that wrote it (§3.4), which no run records; verify maps it to this impossible instant and takes
 * the value from the target instead (verify-migration.ts), so only such fields go unchecked.
 */
export const RUN_TIME_PLACEHOLDER = '0000-01-01T00:00:00.000000Z';

/** Tables other steps look up as parents: a pass restricted to some tables still scans these. */
const PARENT_TABLES: ReadonlySet<SourceTable> = new Set([
  'c2c_categories',
  'b2c_stores',
  'c2c_listings',
  'b2c_products',
  'b2c_product_variants',
]);

export interface PassSettings {
  readonly sourceZone: string;
  readonly options: MappingOptions;
  readonly batchSize: number;
  readonly countryCodes: ReadonlyMap<string, string>;
  /** Source keys the run rejected with TARGET_ID_TAKEN (decided against the target, not by the mapping). */
  readonly taken: ReadonlyMap<SourceTable, ReadonlySet<string>>;
  /** Only these tables (and the parents they need); all when absent. */
  readonly tables?: ReadonlySet<SourceTable>;
}

export interface PassSink {
  /** One batch of one table, in §3.2 order; outcomes in source key order. */
  batch(table: SourceTable, outcomes: readonly RowOutcome[]): Promise<void>;
}

/**
 * The mapping as the run applied it, without writing: every source table of the snapshot in §3.2 order, in keyset
 * batches, through the pipeline's own steps, reference lookups and parent bookkeeping (this pass's outcomes, as a
 * full run sees them). What the sink receives is what a run over this snapshot would have written.
 */
export async function mappingPass(
  deps: { readonly snapshot: MonolithSnapshot; readonly lookups: MonolithTarget; readonly mapping: MonolithMapping },
  settings: PassSettings,
  sink: PassSink,
): Promise<void> {
  const { snapshot, lookups, mapping } = deps;
  const wanted = settings.tables;
  const steps = PIPELINE.filter(
    (step) =>
      snapshot.has(step.table) && (wanted === undefined || wanted.has(step.table) || PARENT_TABLES.has(step.table)),
  );
  const run = await RunContext.load(snapshot, lookups, {
    sourceZone: settings.sourceZone,
    options: settings.options,
    countryCodes: settings.countryCodes,
  });
  const ctx = { ...run.ctx, runTime: RUN_TIME_PLACEHOLDER };
  const registries = new Map<SourceTable, OutcomeRegistry>();
  for (const step of steps) if (step.parent) registries.set(step.table, new OutcomeRegistry());
  const parents = new ParentLookup(lookups, registries, new Set(steps.map((step) => step.table)));
  for (const step of steps) {
    const taken = settings.taken.get(step.table);
    const registry = registries.get(step.table);
    await scan(step, snapshot, settings.batchSize, async (records) => {
      const outcomes = (await step.map(records as never, { mapping, ctx, parents })).map((outcome) =>
        taken?.has(outcome.result.sourceKey) ? takenOutcome(outcome) : outcome,
      );
      if (step.table === 'c2c_categories') run.categories(outcomes);
      if (step.table === 'b2c_stores') run.stores(outcomes);
      for (const { result, createdAt } of outcomes) {
        registry?.set(
          Number(result.sourceKey),
          result.kind === 'mapped' ? { state: 'migrated', createdAt: createdAt ?? null } : { state: 'rejected' },
        );
      }
      await sink.batch(step.table, outcomes);
    });
  }
}

async function scan(
  step: Step,
  snapshot: MonolithSnapshot,
  limit: number,
  each: (records: readonly unknown[]) => Promise<void>,
): Promise<void> {
  const read = (after: string | null) => snapshot.read(step.table, { after, limit, since: null });
  let pending = read(null);
  for (;;) {
    const batch = await pending;
    if (batch.next !== null) {
      pending = read(batch.next);
      pending.catch(() => undefined);
    }
    await each(batch.records);
    if (batch.next === null) return;
  }
}

function takenOutcome(outcome: RowOutcome): RowOutcome {
  const { result } = outcome;
  const rejected: Rejected = {
    kind: 'rejected',
    sourceTable: result.sourceTable,
    sourceKey: result.sourceKey,
    code: 'TARGET_ID_TAKEN',
    detail: 'the target id is used by a row the migration did not write',
    sourceRow: JSON.stringify(outcome.sourceRow),
    hash: result.hash,
  };
  return { result: rejected, sourceRow: outcome.sourceRow, writes: [] };
}
