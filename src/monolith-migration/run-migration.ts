import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { MonolithSnapshot, MonolithSource } from '../../ports/monolith-source.ts';
import type { MonolithTarget, RunMode } from '../../ports/monolith-target.ts';
import { AppError } from '../domain/errors.ts';
import {
  INT4_MAX,
  type MappingOptions,
  SECONDARY_ID_OFFSET,
  type SequencedTable,
  SOURCE_SEQUENCE_OF,
  type SourceTable,
  sequenceSettings,
} from './mapping/index.ts';
import type { MonolithMapping } from './monolith-mapping.ts';
import { OutcomeRegistry } from './outcome-registry.ts';
import { ParentLookup } from './parent-lookup.ts';
import { NARROWED_BY_SINCE, OFFSET_TABLES, PIPELINE } from './pipeline-steps.ts';
import { type EncodedOutcome, encodeOutcome, processBatch } from './process-batch.ts';
import { RunContext } from './run-context.ts';
import { buildReport, type MigrationReport } from './run-report.ts';
import { RunTally } from './run-tally.ts';
import type { RowOutcome, Step, StepEnv } from './step.ts';

export interface MigrationRequest {
  /** IANA zone of the monolith's naive timestamps (--source-zone, default UTC). */
  readonly sourceZone: string;
  /** Rows per batch (--batch-size, default 2000). */
  readonly batchSize: number;
  /** --since, canonical UTC text, or null. */
  readonly since: string | null;
  readonly dryRun: boolean;
  /** false with --no-enqueue. */
  readonly enqueue: boolean;
  readonly mapping: MappingOptions;
  /** Options as given, stored with the run. */
  readonly recordedOptions: Readonly<Record<string, unknown>>;
  /** Polled at every batch boundary: true after SIGINT/SIGTERM. */
  shouldStop(): boolean;
  onProgress?(progress: MigrationProgress): void;
  onWarning?(message: string): void;
}

export interface MigrationProgress {
  readonly table: SourceTable;
  readonly phase: 'deletes' | 'scan' | 'done';
  readonly done: number;
  readonly total: number;
}

export interface MigrateFromMonolithDeps {
  readonly source: MonolithSource;
  readonly target: MonolithTarget;
  readonly mapping: MonolithMapping;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly toolVersion: string;
  readonly countryCodes: ReadonlyMap<string, string>;
}

/** Rows per key batch of delete detection. */
const KEY_BATCH = 50_000;

/**
 * Source records mapped (and, on a first load, encoded) between two turns of the event loop. The previous batch's
 * write is a chain of statements, each sent when the one before it answers, and an answer is only seen between two
 * slices: a whole batch mapped in one synchronous stretch (a few hundred ms) left PostgreSQL idle from the end of
 * its current statement to the end of the mapping, and slices of 100 listings still left it idle 3-4 s of a
 * 100,000-listing scan (2 s at 25). A step that asks the target for parents outside this run's registry (`--since`)
 * asks once per slice.
 */
const MAP_SLICE = 25;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

interface MappedBatch {
  readonly outcomes: RowOutcome[];
  /** encodeOutcome of each outcome, when the batch's rows are encoded ahead of its write. */
  readonly encoded: (EncodedOutcome | undefined)[] | undefined;
}

/**
 * `step.map` over the batch a slice at a time, yielding to the event loop between slices (rows map independently).
 * With `encodeFor`, each slice's rows are also encoded for that target, so that the write of this batch (after the
 * previous one's) only sends them: the CPU of the COPY text moves from inside the write chain, where the server
 * waits for it, to here, where it runs while the server works on the previous batch.
 */
async function mapInSlices(
  step: Step,
  records: readonly unknown[],
  env: StepEnv,
  encodeFor: MonolithTarget | null,
): Promise<MappedBatch> {
  const outcomes: RowOutcome[] = [];
  const encoded: (EncodedOutcome | undefined)[] | undefined = encodeFor === null ? undefined : [];
  for (let start = 0; start < records.length; start += MAP_SLICE) {
    if (start > 0) await nextTurn();
    const slice = records.length <= MAP_SLICE ? records : records.slice(start, start + MAP_SLICE);
    for (const outcome of await step.map(slice as never, env)) {
      outcomes.push(outcome);
      if (encodeFor !== null) encoded?.push(encodeOutcome(encodeFor, outcome));
    }
  }
  return { outcomes, encoded };
}

/**
 * `listings migrate-from-monolith` (reference monolith.md §4): one pass over every source table in §3.2 order
 * inside one source snapshot. Deletes are found first (id_map keys absent from the source); then each table is
 * read in keyset batches (one batch read ahead), mapped by the pure mapping, compared with id_map hashes, and only
 * what changed is written, with its bookkeeping and checkpoint, one transaction per batch. Batch N+1 is mapped
 * while batch N is being written (at most one write in flight; writes stay in order). A dry run does all of it
 * but the writes. A rerun after a kill is an ordinary run: rows written before the kill hash equal and are skipped.
 */
export class MigrateFromMonolith {
  readonly #deps: MigrateFromMonolithDeps;

  constructor(deps: MigrateFromMonolithDeps) {
    this.#deps = deps;
  }

  async execute(request: MigrationRequest): Promise<MigrationReport> {
    const { source, target, clock } = this.#deps;
    const started = clock.monotonicMs();
    const snapshot = await source.openSnapshot({ sourceZone: request.sourceZone });
    try {
      await target.checkSchema();
      if (!request.dryRun && !(await target.tryLock())) {
        throw new AppError('PRECONDITION_FAILED', 'another migrate-from-monolith run holds the lock on the target');
      }
      await this.#checkOffsets(snapshot);
      const warnings: string[] = [];
      const warn = (message: string) => {
        warnings.push(message);
        request.onWarning?.(message);
      };
      if (snapshot.serverZone !== request.sourceZone) {
        warn(
          `the source server's TimeZone is ${snapshot.serverZone} but naive timestamps are read as ${request.sourceZone} (--source-zone)`,
        );
      }
      if (!snapshot.shape.hasGeo)
        warn('the source has no unified_geo (no PostGIS): location privacy defaults to exact');
      const resumed = request.dryRun ? [] : await target.closeAbandonedRuns();
      const previous = await target.lastCompletedRun();
      const mode: RunMode = request.dryRun ? 'dry-run' : previous === null ? 'full' : 'catch-up';
      const runId = this.#deps.ids.uuid();
      if (!request.dryRun) {
        await target.startRun({
          runId,
          mode,
          sourceZone: request.sourceZone,
          sourceServerZone: snapshot.serverZone,
          sourceShape: snapshot.shape.name,
          options: request.recordedOptions,
          toolVersion: this.#deps.toolVersion,
        });
      }
      const tally = new RunTally();
      try {
        await this.#pipeline(snapshot, request, runId, tally);
        const sequences = await this.#sequences(snapshot, request.dryRun);
        const report = buildReport(tally, {
          runId,
          mode,
          dryRun: request.dryRun,
          enqueue: request.enqueue,
          source: snapshot.location,
          target: target.location,
          shape: snapshot.shape,
          sourceZone: request.sourceZone,
          serverZone: snapshot.serverZone,
          since: request.since,
          resumed,
          sequences,
          warnings,
          durationMs: clock.monotonicMs() - started,
        });
        if (!request.dryRun) await target.finishRun(runId, 'completed', report);
        return report;
      } catch (error) {
        if (!request.dryRun) {
          const status = error instanceof AppError && error.code === 'INTERRUPTED' ? 'interrupted' : 'failed';
          await target.finishRun(runId, status, { tables: Object.fromEntries(tally.tables) }).catch(() => undefined);
        }
        throw error;
      }
    } finally {
      await snapshot.close();
    }
  }

  /** §3.13 by the mapping's rule; set unless this is a dry run. Returns table → value, for the report. */
  async #sequences(snapshot: MonolithSnapshot, dryRun: boolean): Promise<Record<string, number>> {
    const { target } = this.#deps;
    const tables = Object.keys(SOURCE_SEQUENCE_OF) as SequencedTable[];
    const states = await snapshot.sequences(tables.map((table) => SOURCE_SEQUENCE_OF[table]));
    const settings = sequenceSettings({
      targetMax: await target.sequenceMaxima(),
      source: Object.fromEntries(tables.map((table) => [table, states[SOURCE_SEQUENCE_OF[table]] ?? null])) as Record<
        SequencedTable,
        (typeof states)[string]
      >,
    });
    if (!dryRun) await target.setSequences(settings);
    return Object.fromEntries(settings.map((setting) => [setting.table, Number(setting.value)]));
  }

  async #checkOffsets(snapshot: MonolithSnapshot): Promise<void> {
    for (const table of OFFSET_TABLES) {
      const max = await snapshot.maxId(table);
      if (max !== null && max + SECONDARY_ID_OFFSET > INT4_MAX) {
        throw new AppError(
          'PRECONDITION_FAILED',
          `${table} id ${max} plus the secondary offset ${SECONDARY_ID_OFFSET} does not fit a target integer`,
        );
      }
    }
  }

  async #pipeline(
    snapshot: MonolithSnapshot,
    request: MigrationRequest,
    runId: string,
    tally: RunTally,
  ): Promise<void> {
    const { target } = this.#deps;
    const steps = PIPELINE.filter((step) => snapshot.has(step.table));
    for (const step of steps) {
      this.#stopIfAsked(request);
      request.onProgress?.({ table: step.table, phase: 'deletes', done: 0, total: 0 });
      const outcome = await target.detectDeletes(
        { runId, sourceTable: step.table, rule: step.deleteRule, apply: !request.dryRun, enqueue: request.enqueue },
        snapshot.keys(step.table, KEY_BATCH),
      );
      tally.table(step.table).deleted = outcome.deleted;
      tally.enqueued += outcome.enqueued;
    }
    const run = await RunContext.load(snapshot, target, {
      sourceZone: request.sourceZone,
      options: request.mapping,
      countryCodes: this.#deps.countryCodes,
    });
    const registries = new Map<SourceTable, OutcomeRegistry>();
    for (const step of steps) if (step.parent) registries.set(step.table, new OutcomeRegistry());
    const complete = new Set<SourceTable>(
      steps.map((step) => step.table).filter((table) => request.since === null || !NARROWED_BY_SINCE.has(table)),
    );
    const parents = new ParentLookup(target, registries, complete);
    for (const step of steps) {
      await this.#scan(step, snapshot, request, { runId, tally, run, parents, registry: registries.get(step.table) });
    }
    for (const step of steps) {
      const table = tally.table(step.table);
      table.source = await snapshot.count(step.table, null);
      if (request.dryRun) {
        // Nothing was booked: a whole scan must account for every source row by itself.
        table.reconciled = request.since === null ? table.source === table.migrated + table.rejected : null;
      } else {
        table.bookkept = await target.reconcile(step.table);
        table.reconciled = table.source === table.bookkept.migrated + table.bookkept.rejected;
      }
    }
  }

  async #scan(
    step: Step,
    snapshot: MonolithSnapshot,
    request: MigrationRequest,
    env: {
      runId: string;
      tally: RunTally;
      run: RunContext;
      parents: ParentLookup;
      registry: OutcomeRegistry | undefined;
    },
  ): Promise<void> {
    const total = await snapshot.count(step.table, NARROWED_BY_SINCE.has(step.table) ? request.since : null);
    const read = (after: string | null) =>
      snapshot.read(step.table, { after, limit: request.batchSize * (step.batchScale ?? 1), since: request.since });
    const context = {
      target: this.#deps.target,
      tally: env.tally,
      runId: env.runId,
      dryRun: request.dryRun,
      enqueue: request.enqueue,
      registry: env.registry,
      // Only a run holding the lock knows nobody else writes this table's bookkeeping meanwhile.
      firstLoad: !request.dryRun && !(await this.#deps.target.hasBookkeeping(step.table)),
    };
    let pending = read(null);
    let done = 0;
    let written = 0;
    let rejected = 0;
    // The batch being written while the next one is mapped: at most one in flight, and batches are written in
    // order, one after the other, each after the previous one's transaction ended (checkpoints stay a prefix).
    let writing: { promise: Promise<{ written: number; rejected: number }>; rows: number } | null = null;
    const settle = async () => {
      if (writing === null) return;
      const result = await writing.promise;
      done += writing.rows;
      writing = null;
      written += result.written;
      rejected += result.rejected;
      request.onProgress?.({ table: step.table, phase: 'scan', done, total: Math.max(total, done) });
    };
    request.onProgress?.({ table: step.table, phase: 'scan', done, total });
    try {
      for (;;) {
        const batch = await pending;
        if (batch.next !== null) {
          pending = read(batch.next);
          pending.catch(() => undefined);
        }
        // Mapping is CPU in this process; it runs while PostgreSQL works on the previous batch's statements. On a
        // first load nearly every row is written, so its COPY text is made here too; a catch-up run writes few of
        // the rows it maps (most hash equal), so it leaves the encoding to the write.
        const { outcomes, encoded } = await mapInSlices(
          step,
          batch.records,
          { mapping: this.#deps.mapping, ctx: env.run.ctx, parents: env.parents },
          context.firstLoad ? this.#deps.target : null,
        );
        if (step.table === 'c2c_categories') env.run.categories(outcomes);
        if (step.table === 'b2c_stores') env.run.stores(outcomes);
        if (writing !== null) {
          await settle();
          this.#stopIfAsked(request);
        }
        const rowsRead = done + outcomes.length;
        writing = {
          rows: outcomes.length,
          promise: processBatch(step, outcomes, context, { lastKey: batch.next, rowsRead, written, rejected }, encoded),
        };
        if (batch.next === null) break;
      }
      await settle();
    } catch (error) {
      // Never leave a batch's transaction running behind the error (the run's status is written next, on the
      // same connection); when that batch failed too, its error is the cause.
      if (writing !== null) await (writing as { promise: Promise<unknown> }).promise;
      throw error;
    }
    request.onProgress?.({ table: step.table, phase: 'done', done, total: Math.max(total, done) });
  }

  #stopIfAsked(request: MigrationRequest): void {
    if (request.shouldStop()) {
      throw new AppError('INTERRUPTED', 'interrupted at a batch boundary; run the command again to resume');
    }
  }
}
