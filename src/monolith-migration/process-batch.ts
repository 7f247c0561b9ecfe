import type {
  BatchWrite,
  DerivedRemoval,
  EncodedRow,
  IdMapWrite,
  MonolithTarget,
  RejectWrite,
  TableWrite,
  TargetRowValues,
} from '../../ports/monolith-target.ts';
import type { MappingResult, Rejected, TargetTable } from './mapping/index.ts';
import type { OutcomeRegistry } from './outcome-registry.ts';
import type { RunTally } from './run-tally.ts';
import type { RowOutcome, Step } from './step.ts';

export interface BatchContext {
  readonly target: MonolithTarget;
  readonly tally: RunTally;
  readonly runId: string;
  readonly dryRun: boolean;
  readonly enqueue: boolean;
  /** This run's outcomes of the step's table, when later steps look its rows up as parents. */
  readonly registry: OutcomeRegistry | undefined;
  /**
   * The target's bookkeeping held nothing of the step's table when its scan began and this run holds the lock:
   * no key of the scan can be in id_map (only this scan writes them, and keys do not repeat across its batches),
   * so the id_map hash lookup is skipped (BatchWrite.firstLoad).
   */
  readonly firstLoad: boolean;
}

export interface BatchPosition {
  readonly lastKey: string | null;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rowsRejected: number;
}

/** A mapped row's target rows and id_map entry in the target's wire form, made before its batch is written. */
export interface EncodedOutcome {
  /** One per `RowOutcome.writes` entry, same order. */
  readonly writes: readonly EncodedRow[];
  readonly idMap: EncodedRow;
}

/** The id_map entry a migrated row writes (§4.3 step 4). */
function idMapEntry(result: Extract<MappingResult<unknown>, { kind: 'mapped' }>, encoded?: EncodedRow): IdMapWrite {
  const entry = {
    sourceKey: result.sourceKey,
    targetTable: result.targetTable,
    targetId: result.targetKey,
    hash: result.hash,
    extras: result.extras,
  };
  return encoded === undefined ? entry : { ...entry, encoded };
}

/**
 * What the write of `outcome` will send, made ahead by the target (MonolithTarget.encodeRow): the pipeline calls
 * it while the previous batch is being written. undefined for a rejected row (nothing of it is encoded).
 */
export function encodeOutcome(target: MonolithTarget, outcome: RowOutcome): EncodedOutcome | undefined {
  const { result } = outcome;
  if (result.kind !== 'mapped') return undefined;
  return {
    writes: outcome.writes.map((write) => target.encodeRow(write.table, write.row)),
    idMap: target.encodeIdMapEntry(idMapEntry(result)),
  };
}

/**
 * §4.3 steps 2–4 for one batch: drop rows whose hash id_map already holds, turn ids used by rows the migration did
 * not write into TARGET_ID_TAKEN rejects, then hand the write set, bookkeeping and checkpoint to the target in one
 * transaction (nothing is written in a dry run). Returns the rows written (or that would be) and rejected.
 * `encoded[i]`, when given, is encodeOutcome of `outcomes[i]`; rows without one are encoded by the target as it writes.
 */
export async function processBatch(
  step: Step,
  outcomes: readonly RowOutcome[],
  context: BatchContext,
  position: Omit<BatchPosition, 'rowsWritten' | 'rowsRejected'> & {
    readonly written: number;
    readonly rejected: number;
  },
  encoded?: readonly (EncodedOutcome | undefined)[],
): Promise<{ written: number; rejected: number }> {
  const { target, tally } = context;
  const known: ReadonlyMap<string, string> = context.firstLoad
    ? new Map()
    : await target.knownHashes(
        step.table,
        outcomes.map((outcome) => outcome.result.sourceKey),
      );
  const changed = outcomes.filter(
    (outcome) => outcome.result.kind === 'mapped' && known.get(outcome.result.sourceKey) !== outcome.result.hash,
  );
  const taken = await takenKeys(target, changed);

  // encoded: null once a row of the table has no encoding (the target then encodes the table's rows itself).
  const writes = new Map<TargetTable, { rows: TargetRowValues[]; encoded: EncodedRow[] | null }>();
  const removals = new Map<string, { table: DerivedRemoval['table']; attributeKey?: string; listingIds: number[] }>();
  const idMap: IdMapWrite[] = [];
  const rejects: RejectWrite[] = [];
  const migratedKeys: string[] = [];
  const withdrawnKeys: string[] = [];
  let written = 0;
  let rejected = 0;

  for (let index = 0; index < outcomes.length; index++) {
    const outcome = outcomes[index] as RowOutcome;
    let result: MappingResult<unknown> = outcome.result;
    const key = result.sourceKey;
    const before = known.get(key);
    if (result.kind === 'mapped' && taken.has(`${result.targetTable}\u001f${result.targetKey}`)) {
      result = targetIdTaken(
        result.sourceTable,
        key,
        result.hash,
        outcome.sourceRow,
        result.targetTable,
        result.targetKey,
      );
    }
    if (result.kind === 'rejected') {
      rejected++;
      tally.row(step.table, result, null);
      rejects.push({ sourceKey: key, code: result.code, detail: result.detail, sourceRow: result.sourceRow });
      if (before !== undefined) withdrawnKeys.push(key);
      context.registry?.set(Number(key), { state: 'rejected' });
      continue;
    }
    if (outcome.status) tally.status(step.table, outcome.status.raw, outcome.status.target);
    context.registry?.set(Number(key), { state: 'migrated', createdAt: outcome.createdAt ?? null });
    if (before === result.hash) {
      tally.row(step.table, result, 'unchanged');
      continue;
    }
    tally.row(step.table, result, before === undefined ? 'inserted' : 'updated');
    written++;
    migratedKeys.push(key);
    const ahead = encoded?.[index];
    idMap.push(idMapEntry(result, ahead?.idMap));
    for (let i = 0; i < outcome.writes.length; i++) {
      const write = outcome.writes[i] as RowOutcome['writes'][number];
      const line = ahead?.writes[i];
      let table = writes.get(write.table);
      if (table === undefined) {
        table = { rows: [], encoded: [] };
        writes.set(write.table, table);
      }
      table.rows.push(write.row);
      if (line === undefined) table.encoded = null;
      else table.encoded?.push(line);
    }
    if (outcome.listingId !== undefined) {
      for (const removal of outcome.removals ?? []) {
        const id = `${removal.table}/${removal.attributeKey ?? ''}`;
        const entry = removals.get(id) ?? { ...removal, listingIds: [] };
        entry.listingIds.push(outcome.listingId);
        removals.set(id, entry);
      }
    }
  }

  if (!context.dryRun) {
    const batch: BatchWrite = {
      runId: context.runId,
      sourceTable: step.table,
      writes: [...writes].map(
        ([table, { rows, encoded }]): TableWrite => (encoded === null ? { table, rows } : { table, rows, encoded }),
      ),
      removals: [...removals.values()],
      idMap,
      rejects,
      migratedKeys,
      withdrawnKeys,
      deleteRule: step.deleteRule,
      checkpoint: {
        lastKey: position.lastKey,
        rowsRead: position.rowsRead,
        rowsWritten: position.written + written,
        rowsRejected: position.rejected + rejected,
      },
      enqueue: context.enqueue,
      firstLoad: context.firstLoad,
    };
    const outcome = await target.writeBatch(batch);
    for (const [table, counts] of Object.entries(outcome.byTable)) {
      if (counts) tally.target(table as TargetTable, counts);
    }
    tally.enqueued += outcome.enqueued;
  }
  return { written, rejected };
}

/** `targetTable \u001f targetKey` of changed rows whose target id belongs to a row the migration did not write. */
async function takenKeys(target: MonolithTarget, changed: readonly RowOutcome[]): Promise<Set<string>> {
  const byTable = new Map<TargetTable, string[]>();
  for (const { result } of changed) {
    if (result.kind !== 'mapped') continue;
    const keys = byTable.get(result.targetTable);
    if (keys) keys.push(result.targetKey);
    else byTable.set(result.targetTable, [result.targetKey]);
  }
  const taken = new Set<string>();
  for (const [table, keys] of byTable) {
    for (const id of await target.takenIds(table, keys)) taken.add(`${table}\u001f${id}`);
  }
  return taken;
}

function targetIdTaken(
  sourceTable: Rejected['sourceTable'],
  sourceKey: string,
  hash: string,
  sourceRow: unknown,
  table: TargetTable,
  id: string,
): Rejected {
  return {
    kind: 'rejected',
    sourceTable,
    sourceKey,
    code: 'TARGET_ID_TAKEN',
    detail: `${table} id ${id} is used by a row the migration did not write`,
    sourceRow: JSON.stringify(sourceRow),
    hash,
  };
}
