import type { TableCounts } from '../../ports/monolith-target.ts';
import type { MappingResult, SourceTable, TargetTable } from './mapping/index.ts';

/** Counts of one source table in one run (§4.6, §4.8 `tables`). */
export interface TableTally {
  /** Rows in scope at the source snapshot (null: not counted, e.g. a table the source lacks). */
  source: number | null;
  read: number;
  migrated: number;
  rejected: number;
  repaired: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** After the run: live id_map entries + rejects in the target, and whether source = migrated + rejected. */
  bookkept: { migrated: number; rejected: number } | null;
  reconciled: boolean | null;
}

const increment = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** A new per-code count, for {@link bucket} (one function, not a closure per row counted). */
const emptyCounts = (): Record<string, number> => ({});

/** The per-table object of `byTable`, created on first use. */
function bucket<T>(byTable: Partial<Record<string, T>>, table: string, empty: () => T): T {
  const existing = byTable[table];
  if (existing !== undefined) return existing;
  const created = empty();
  byTable[table] = created;
  return created;
}

/** Everything a run counts; the report is built from it (run-report.ts). */
export class RunTally {
  readonly tables = new Map<SourceTable, TableTally>();
  readonly targetTables: Partial<Record<TargetTable, { inserted: number; updated: number; unchanged: number }>> = {};
  readonly rejectsByCode: Partial<Record<SourceTable, Record<string, number>>> = {};
  readonly repairsByCode: Partial<Record<SourceTable, Record<string, number>>> = {};
  readonly noticesByCode: Partial<Record<SourceTable, Record<string, number>>> = {};
  /** `table \u001f raw \u001f target` → rows. */
  readonly statusMatrix = new Map<string, number>();
  enqueued = 0;

  table(name: SourceTable): TableTally {
    let tally = this.tables.get(name);
    if (!tally) {
      tally = {
        source: null,
        read: 0,
        migrated: 0,
        rejected: 0,
        repaired: 0,
        inserted: 0,
        updated: 0,
        unchanged: 0,
        deleted: 0,
        bookkept: null,
        reconciled: null,
      };
      this.tables.set(name, tally);
    }
    return tally;
  }

  /** One source row's outcome: `change` says what its write is (or would be). */
  row(table: SourceTable, result: MappingResult<unknown>, change: 'inserted' | 'updated' | 'unchanged' | null): void {
    const tally = this.table(table);
    tally.read++;
    if (result.kind === 'rejected') {
      tally.rejected++;
      increment(bucket(this.rejectsByCode, table, emptyCounts), result.code);
      return;
    }
    tally.migrated++;
    if (change !== null) tally[change]++;
    if (result.repairs.length > 0) tally.repaired++;
    const repairs = bucket(this.repairsByCode, table, emptyCounts);
    for (const repair of result.repairs) increment(repairs, repair.code);
    const notices = bucket(this.noticesByCode, table, emptyCounts);
    for (const notice of result.notices) increment(notices, notice.code);
  }

  status(table: SourceTable, raw: string, target: string): void {
    const key = `${table}\u001f${raw}\u001f${target}`;
    this.statusMatrix.set(key, (this.statusMatrix.get(key) ?? 0) + 1);
  }

  target(table: TargetTable, counts: TableCounts): void {
    const now = bucket(this.targetTables, table, () => ({ inserted: 0, updated: 0, unchanged: 0 }));
    now.inserted += counts.inserted;
    now.updated += counts.updated;
    now.unchanged += counts.unchanged;
  }
}
