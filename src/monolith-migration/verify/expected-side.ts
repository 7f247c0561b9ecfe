import type { MonolithTarget, TargetRowValues } from '../../../ports/monolith-target.ts';
import type { MonolithVerificationTarget } from '../../../ports/monolith-verification.ts';
import type { SourceTable, VerifiedTable } from '../mapping/index.ts';
import { RunTally } from '../run-tally.ts';
import type { RowOutcome } from '../step.ts';
import { BucketDigests } from './bucket-digest.ts';
import type { DifferenceLog } from './differences.ts';
import { type PassSink, RUN_TIME_PLACEHOLDER } from './mapping-pass.ts';
import { SampleCollector } from './sample-diff.ts';
import { StatusMatrix } from './status-matrix.ts';

export const VERIFIED_TABLES: readonly VerifiedTable[] = [
  'listings',
  'listing_images',
  'storefronts',
  'c2c_categories',
  'c2c_favorites',
  'listing_attributes',
  'b2c_product_variants',
];
const VERIFIED = new Set<string>(VERIFIED_TABLES);

/**
 * Rows mapped to the run-time placeholder take the value the target holds for their listing (mapping-pass.ts):
 * the listing's created_at, which the run set from its own clock.
 */
export async function settleRunTime(
  outcomes: readonly RowOutcome[],
  target: MonolithVerificationTarget,
): Promise<{ outcomes: readonly RowOutcome[]; settled: number }> {
  const listingOf = (table: string, row: TargetRowValues) => Number(table === 'listings' ? row.id : row.listing_id);
  const ids = new Set<number>();
  for (const outcome of outcomes) {
    for (const { table, row } of outcome.writes) {
      if (Object.values(row).includes(RUN_TIME_PLACEHOLDER)) ids.add(listingOf(table, row));
    }
  }
  if (ids.size === 0) return { outcomes, settled: 0 };
  const actual = await target.listingCreatedAt([...ids]);
  let settled = 0;
  const settle = (table: string, row: TargetRowValues): TargetRowValues => {
    if (!Object.values(row).includes(RUN_TIME_PLACEHOLDER)) return row;
    settled++;
    const value = actual.get(listingOf(table, row)) ?? null;
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === RUN_TIME_PLACEHOLDER ? value : v]));
  };
  return {
    outcomes: outcomes.map((outcome) => ({
      ...outcome,
      writes: outcome.writes.map(({ table, row }) => ({ table, row: settle(table, row) })),
    })),
    settled,
  };
}

/**
 * What the mapping pass says the target should hold, reduced as it streams by: per-table tallies and codes, the
 * key-column digests, the status matrix (against the target's statuses batch by batch), the sample's rows, and the
 * rows whose source changed since the run (their hash no longer equals id_map's).
 */
export class ExpectedSide implements PassSink {
  readonly tally = new RunTally();
  readonly digests = new Map<VerifiedTable, BucketDigests>(VERIFIED_TABLES.map((t) => [t, new BucketDigests(t)]));
  readonly matrix = new StatusMatrix();
  readonly sample: SampleCollector;
  settledRunTimes = 0;
  readonly #lookups: MonolithTarget;
  readonly #target: MonolithVerificationTarget;
  readonly #rejects: ReadonlyMap<SourceTable, ReadonlyMap<string, string>>;
  readonly #log: DifferenceLog;

  constructor(deps: {
    lookups: MonolithTarget;
    target: MonolithVerificationTarget;
    rejects: ReadonlyMap<SourceTable, ReadonlyMap<string, string>>;
    sampleIds: readonly number[];
    log: DifferenceLog;
  }) {
    this.#lookups = deps.lookups;
    this.#target = deps.target;
    this.#rejects = deps.rejects;
    this.sample = new SampleCollector(deps.sampleIds);
    this.#log = deps.log;
  }

  async batch(table: SourceTable, raw: readonly RowOutcome[]): Promise<void> {
    const { outcomes, settled } = await settleRunTime(raw, this.#target);
    this.settledRunTimes += settled;
    for (const outcome of outcomes) {
      this.tally.row(table, outcome.result, null);
      for (const { table: written, row } of outcome.writes) {
        if (VERIFIED.has(written)) this.digests.get(written as VerifiedTable)?.add(row as never);
      }
    }
    if (table === 'c2c_listings' || table === 'b2c_products') {
      await this.matrix.add(table, outcomes, this.#target, this.#log);
    }
    this.sample.collect(outcomes);
    await this.#sourceChanges(table, outcomes);
  }

  /** Rows whose current mapping differs from what the bookkeeping says the run did with them (§4.4). */
  async #sourceChanges(table: SourceTable, outcomes: readonly RowOutcome[]): Promise<void> {
    const known = await this.#lookups.knownHashes(
      table,
      outcomes.map((o) => o.result.sourceKey),
    );
    const rejected = this.#rejects.get(table);
    for (const { result } of outcomes) {
      const key = result.sourceKey;
      const hash = known.get(key);
      const code = rejected?.get(key);
      const booked = hash !== undefined ? 'migrated' : code !== undefined ? `rejected ${code}` : 'not in the run';
      const now = result.kind === 'mapped' ? 'migrated' : `rejected ${result.code}`;
      if (booked === now && (result.kind === 'rejected' || hash === result.hash)) continue;
      const field = booked === now ? 'source_hash' : 'outcome';
      const expected = booked === now ? result.hash : now;
      const actual = booked === now ? (hash ?? null) : booked;
      this.#log.add({ layer: 'source_changes', table, id: key, field, expected, actual });
    }
  }
}
