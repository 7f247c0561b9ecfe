import type { Clock } from '../../../ports/clock.ts';
import type { MonolithSnapshot, MonolithSource } from '../../../ports/monolith-source.ts';
import type { MonolithTarget } from '../../../ports/monolith-target.ts';
import type {
  ExcludedKeys,
  MonolithVerificationSource,
  MonolithVerificationTarget,
  VerifiedRun,
} from '../../../ports/monolith-verification.ts';
import { AppError } from '../../domain/errors.ts';
import type { MappingOptions, SourceTable, VerifiedTable } from '../mapping/index.ts';
import type { MonolithMapping } from '../monolith-mapping.ts';
import { PIPELINE } from '../pipeline-steps.ts';
import { mismatchedBuckets } from './bucket-digest.ts';
import { DifferenceLog } from './differences.ts';
import { ExpectedSide } from './expected-side.ts';
import { countsLayer, idSetsLayer, sequencesLayer, sumsLayer } from './independent-layers.ts';
import { drillDownBuckets } from './key-drill-down.ts';
import { mappingPass } from './mapping-pass.ts';
import { chooseSample, compareSample } from './sample-diff.ts';
import { sourceCountsJson, sumsJson, type VerifyReport } from './verify-report.ts';

export interface VerifyRequest {
  /** The run to verify; null: the newest completed run. */
  readonly runId: string | null;
  /** Listings compared field by field (`--sample`, default 1000). */
  readonly sampleSize: number;
  readonly seed: number;
  readonly batchSize: number;
  onProgress?(progress: { readonly layer: string; readonly table?: string }): void;
}

export interface VerifyMigrationDeps {
  readonly source: MonolithSource;
  readonly sourceChecks: MonolithVerificationSource;
  /** The run's own target reads (reference lookups, parents, id_map hashes, bookkeeping counts). */
  readonly lookups: MonolithTarget;
  readonly target: MonolithVerificationTarget;
  readonly mapping: MonolithMapping;
  readonly clock: Clock;
  readonly countryCodes: ReadonlyMap<string, string>;
}

/** The run's mapping options, from the flags it recorded (§3.14 opt-ins). */
export function recordedMappingOptions(options: Readonly<Record<string, unknown>>): MappingOptions {
  const number = (value: unknown) => (value === undefined || value === null ? null : Number(value));
  return {
    rejectShortTitle: options.reject === 'title',
    priceFallback: typeof options.priceFallback === 'string' ? options.priceFallback : null,
    ownerFallback: number(options.ownerFallback),
    categoryFallback: number(options.categoryFallback),
  };
}

/**
 * `listings migrate-from-monolith verify` (reference monolith.md §4.8): compares the source with what a run left
 * in the target, read-only on both sides. Independent layers (counts, status matrix, sums, id sets, sequences)
 * query both databases directly; the key-column checksums and the sample compare the target with the mapping of
 * today's source (one pass through the pipeline's own steps, nothing written). Any difference fails the check.
 */
export class VerifyMigration {
  readonly #deps: VerifyMigrationDeps;

  constructor(deps: VerifyMigrationDeps) {
    this.#deps = deps;
  }

  async execute(request: VerifyRequest): Promise<VerifyReport> {
    const { source, sourceChecks, lookups, target, clock } = this.#deps;
    const started = clock.monotonicMs();
    await lookups.checkSchema();
    const run = await target.run(request.runId);
    if (run === null || run.status !== 'completed') {
      throw new AppError(
        'PRECONDITION_FAILED',
        request.runId === null
          ? `no completed migrate-from-monolith run in ${target.location}: run the migration first`
          : `run ${request.runId} ${run === null ? 'does not exist' : `is ${run.status}, not completed`}`,
      );
    }
    const snapshot = await source.openSnapshot({ sourceZone: run.sourceZone });
    try {
      const checks = await sourceChecks.open();
      try {
        return await this.#verify(request, run, snapshot, checks, started);
      } finally {
        await checks.close();
      }
    } finally {
      await snapshot.close();
    }
  }

  async #verify(
    request: VerifyRequest,
    run: VerifiedRun,
    snapshot: MonolithSnapshot,
    checks: Awaited<ReturnType<MonolithVerificationSource['open']>>,
    started: number,
  ): Promise<VerifyReport> {
    const { lookups, target, mapping, countryCodes } = this.#deps;
    const log = new DifferenceLog();
    const warnings: string[] = [];
    const options = recordedMappingOptions(run.options);
    const rejects = new Map<SourceTable, Map<string, string>>();
    for (const entry of await target.rejects()) {
      const table = rejects.get(entry.sourceTable) ?? new Map<string, string>();
      table.set(entry.sourceKey, entry.code);
      rejects.set(entry.sourceTable, table);
    }
    const taken = new Map<SourceTable, Set<string>>();
    const excluded: Partial<Record<SourceTable, number[]>> = {};
    for (const [table, keys] of rejects) {
      taken.set(table, new Set([...keys].filter(([, code]) => code === 'TARGET_ID_TAKEN').map(([key]) => key)));
      excluded[table] = [...keys.keys()].filter((key) => /^\d+$/.test(key)).map(Number);
    }
    const owned = await target.ownedListingIds();
    const sampleIds = chooseSample(owned, request.sampleSize, request.seed);

    request.onProgress?.({ layer: 'mapping pass' });
    const expected = new ExpectedSide({ lookups, target, rejects, sampleIds, log });
    const pass = { sourceZone: run.sourceZone, options, batchSize: request.batchSize, countryCodes, taken };
    await mappingPass({ snapshot, lookups, mapping }, pass, {
      batch: async (table, outcomes) => {
        request.onProgress?.({ layer: 'mapping pass', table });
        await expected.batch(table, outcomes);
      },
    });
    if (expected.settledRunTimes > 0) {
      warnings.push(
        `${expected.settledRunTimes} row(s) take their timestamps from the run's clock (no created_at or updated_at at the source): those values were taken from the target, not checked`,
      );
    }

    request.onProgress?.({ layer: 'counts' });
    const tables = PIPELINE.map((step) => step.table).filter((table) => snapshot.has(table));
    const counts = await countsLayer(tables, snapshot, lookups, target, log);
    request.onProgress?.({ layer: 'sums' });
    const sums = await sumsLayer(owned, checks, target, { priceFallback: options.priceFallback, excluded }, log);
    request.onProgress?.({ layer: 'id sets' });
    const idSets = await idSetsLayer(checks, target, excluded as ExcludedKeys, log);

    request.onProgress?.({ layer: 'checksums' });
    const checksums: Record<string, { buckets: number; mismatched: number }> = {};
    const mismatched = new Map<VerifiedTable, number[]>();
    for (const [table, digests] of expected.digests) {
      const actual = await target.keyDigests(table);
      const buckets = mismatchedBuckets(digests.buckets, actual);
      checksums[table] = {
        buckets: new Set([...digests.buckets.keys(), ...actual.keys()]).size,
        mismatched: buckets.length,
      };
      if (buckets.length > 0) mismatched.set(table, buckets);
    }
    if (mismatched.size > 0) {
      request.onProgress?.({ layer: 'checksums drill-down' });
      await drillDownBuckets(mismatched, { snapshot, lookups, mapping, target }, pass, log);
    }

    request.onProgress?.({ layer: 'sample' });
    const sampled = await target.sample(sampleIds);
    const compared = compareSample(expected.sample.expected, sampled, log);
    request.onProgress?.({ layer: 'sequences' });
    const sequences = await sequencesLayer(snapshot, lookups, target, log);

    const runTables = (run.report?.tables ?? {}) as Record<string, Record<string, unknown>>;
    const tablesJson: VerifyReport['tables'] = {};
    let read = 0;
    for (const [table, sourceCounts] of counts.sources) {
      const tally = expected.tally.table(table);
      read += tally.read;
      tablesJson[table] = sourceCountsJson(sourceCounts, tally, runTables[table]);
    }
    const seconds = (this.#deps.clock.monotonicMs() - started) / 1000;
    return {
      run_id: run.runId,
      ok: log.total === 0,
      source: snapshot.location,
      target: target.location,
      source_shape: snapshot.shape,
      zones: { source_zone: run.sourceZone, source_server_zone: snapshot.serverZone },
      tables: tablesJson,
      target_tables: Object.fromEntries(counts.targets),
      status_matrix: expected.matrix.cells(),
      rejects_by_code: expected.tally.rejectsByCode,
      repairs_by_code: expected.tally.repairsByCode,
      sums: sumsJson(sums),
      id_sets: idSets,
      checksums,
      sample: { size: sampleIds.length, seed: request.seed, compared, differences: log.listed('sample') },
      sequences,
      differences_total: log.total,
      differences_by_layer: log.byLayer(),
      differences: log.listed(),
      warnings,
      duration_s: Math.round(seconds * 1000) / 1000,
      rows_per_s: seconds > 0 ? Math.round(read / seconds) : read,
    };
  }
}
