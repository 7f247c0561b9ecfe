/**
 * `listings reindex --rollback`: the newest retired index serves again (one atomic swap, the replaced index is kept
 * as retired in its turn), then is brought up to date. It stopped receiving writes when it was retired, so
 * everything written since is missing from it: a merge pass against PostgreSQL (the validate comparison) finds
 * those listings, and they are written directly with their versions (the worker may be stopped during an incident;
 * versions make the catch-up safe beside it). Documents newer than their row (`ahead`) cannot be lowered this way
 * and are reported.
 */
import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { Logger } from '../../ports/logger.ts';
import type { IndexRemoval, SearchDocument, SearchIndex } from '../../ports/search-index.ts';
import type { SearchIndexMaintenance } from '../../ports/search-index-maintenance.ts';
import { AppError } from '../domain/errors.ts';
import type { ListingDetails } from '../domain/listing.ts';
import { loadCurrentListings } from '../indexing/current-listings.ts';
import { buildSearchDocument } from '../search/search-document.ts';
import { compareIndex } from '../validate/compare-index.ts';
import { DriftTally } from '../validate/drift.ts';
import { DEFAULT_RETRY, type WriteFailure, writeWithRetry } from './index-writes.ts';

export interface RollBackDeps {
  readonly listings: ListingRepository;
  readonly searchIndex: SearchIndex;
  readonly maintenance: SearchIndexMaintenance;
  readonly logger: Logger;
}

export interface RollBackReport {
  readonly engine: 'opensearch' | 'postgres';
  readonly dryRun: boolean;
  /** The index that served before. */
  readonly from: string | null;
  /** The retired index that serves now (or would). */
  readonly to: string;
  readonly dropped: readonly string[];
  /** Listings brought up to date after the swap: documents written, documents removed. */
  readonly caughtUp: { readonly written: number; readonly removed: number };
  /** Listings whose document is newer than the row: only a reindex repairs them. */
  readonly ahead: readonly number[];
  readonly failures: readonly WriteFailure[];
}

/** Findings repaired per pass; more drift than this takes another pass. */
const PER_PASS = 50_000;
const MAX_PASSES = 5;

export class RollBackSearchIndex {
  readonly #deps: RollBackDeps;

  constructor(deps: RollBackDeps) {
    this.#deps = deps;
  }

  async execute(request: { readonly keep: number; readonly dryRun: boolean }): Promise<RollBackReport> {
    const { searchIndex, maintenance, logger } = this.#deps;
    const inventory = await maintenance.indices();
    const to = inventory.retired[0];
    if (to === undefined) {
      throw new AppError(
        'PRECONDITION_FAILED',
        'no retired search index to roll back to (reindex --keep 0 drops them)',
      );
    }
    const base = { engine: maintenance.engine, from: inventory.serving, to };
    if (request.dryRun) {
      return { ...base, dryRun: true, dropped: [], caughtUp: { written: 0, removed: 0 }, ahead: [], failures: [] };
    }
    const swap = await searchIndex.swapAlias(to, { keep: request.keep });
    logger.info({ from: swap.previous, to }, 'reindex --rollback: swapped back; catching up');
    const caughtUp = { written: 0, removed: 0 };
    const ahead = new Set<number>();
    const failures: WriteFailure[] = [];
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      await searchIndex.refresh();
      const tally = new DriftTally(PER_PASS);
      await compareIndex(
        this.#deps.listings,
        maintenance,
        { fieldShare: 1, random: Math.random, stopped: () => false, progress: () => undefined },
        tally,
      );
      const repairable = tally.findings().filter((finding) => finding.kind !== 'ahead');
      for (const finding of tally.findings()) if (finding.kind === 'ahead') ahead.add(finding.id);
      if (repairable.length === 0) break;
      const rows = await loadRows(
        this.#deps.listings,
        repairable.map((finding) => finding.id),
      );
      const documents: SearchDocument[] = [];
      const removals: IndexRemoval[] = [];
      for (const finding of repairable) {
        const row = rows.get(finding.id);
        const document = row === undefined ? null : buildSearchDocument(row);
        if (document !== null) documents.push(document);
        else removals.push({ id: finding.id, version: Math.max(finding.rowVersion, finding.documentVersion, 1) });
      }
      const written = await writeWithRetry(documents, (items) => searchIndex.upsert(items), DEFAULT_RETRY);
      const removed = await writeWithRetry(removals, (items) => searchIndex.remove(items), DEFAULT_RETRY);
      caughtUp.written += written.written;
      caughtUp.removed += removed.written;
      failures.push(...written.failures, ...removed.failures);
      if (tally.truncated() === 0) break;
    }
    await searchIndex.refresh();
    return {
      ...base,
      dryRun: false,
      dropped: swap.dropped,
      caughtUp,
      ahead: [...ahead],
      failures: failures.slice(0, 100),
    };
  }
}

async function loadRows(listings: ListingRepository, ids: readonly number[]): Promise<Map<number, ListingDetails>> {
  const rows = new Map<number, ListingDetails>();
  for (let start = 0; start < ids.length; start += 1000) {
    for (const [id, row] of await loadCurrentListings(listings, ids.slice(start, start + 1000))) rows.set(id, row);
  }
  return rows;
}
