/**
 * `listings validate [--fix]`: compares PostgreSQL with the search index (and the listing cache when there is a
 * shared one), reports drift per kind with ids, and with `fix` repairs it (ops-scripts.md §1.8).
 *
 * 1. One merge pass over every live row and every document, in id order, in constant memory (compare-index.ts).
 * 2. What it found is read again after a pause (recheck-findings.ts): only drift that outlives in-flight writes is
 *    reported. At most `keptIds` findings per kind are kept for this; beyond that they are counted only.
 * 3. Dead letters in the outbox are drift too: the index never got those listings.
 * 4. With `fix`: repair-drift.ts (re-enqueue, delete documents without rows, requeue dead letters) and cache
 *    eviction. `dryRun` reports what it would do.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { IndexOutbox } from '../../ports/index-outbox.ts';
import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { SearchIndex } from '../../ports/search-index.ts';
import type { SearchIndexMaintenance } from '../../ports/search-index-maintenance.ts';
import { AppError } from '../domain/errors.ts';
import { loadCurrentListings } from '../indexing/current-listings.ts';
import type { CacheCheckDeps, CacheCheckResult } from './cached-listings-check.ts';
import { CachedListingsCheck } from './cached-listings-check.ts';
import { type CompareCounts, compareIndex } from './compare-index.ts';
import { DriftTally, INDEX_DRIFT_KINDS, type IndexDriftKind, type IndexFinding } from './drift.ts';
import { recheckFindings } from './recheck-findings.ts';
import { type RepairReport, repairDrift } from './repair-drift.ts';

export interface ValidateDeps {
  readonly listings: ListingRepository;
  readonly outbox: IndexOutbox;
  readonly searchIndex: SearchIndex;
  readonly maintenance: SearchIndexMaintenance;
  /** The shared listing cache (Redis); undefined when there is none to check. */
  readonly cache?: CacheCheckDeps;
  readonly monotonicMs: () => number;
  readonly random?: () => number;
}

export interface ValidateRequest {
  readonly fix: boolean;
  readonly dryRun: boolean;
  /** Compare fields on a random sample of about this many listings; null = every listing. */
  readonly sample: number | null;
  /** Findings kept (listed, re-checked, repaired) per kind. */
  readonly keptIds: number;
  readonly maxDeletes: number;
  /** Pause before the re-check, so the worker catches up with writes made during the pass. */
  readonly settleMs: number;
}

export interface ValidateHooks {
  stopped(): boolean;
  progress(counts: CompareCounts): void;
  /** Asked before deleting documents without rows; false skips the deletes. */
  confirmDeletes(count: number): Promise<boolean>;
}

export interface KindReport {
  readonly count: number;
  readonly ids: readonly number[];
}

export interface ValidateReport {
  readonly engine: 'opensearch' | 'postgres';
  readonly index: string;
  readonly checked: Omit<CompareCounts, 'stopped'>;
  /** True when no drift of any kind was found. */
  readonly clean: boolean;
  readonly drift: Record<IndexDriftKind, KindReport> & {
    readonly deadLetters: KindReport;
    readonly cacheStale: KindReport;
  };
  /** Field name → mismatched documents (of the kept ones). */
  readonly mismatchedFields: Readonly<Record<string, number>>;
  readonly cache: CacheCheckResult | null;
  /** Checks that could not complete (`--strict` exits 5 on any). */
  readonly incomplete: readonly string[];
  readonly fix: (RepairReport & { readonly evicted: number }) | null;
  readonly durationMs: number;
  readonly listingsPerSecond: number;
}

export class ValidateSearchIndex {
  readonly #deps: ValidateDeps;

  constructor(deps: ValidateDeps) {
    this.#deps = deps;
  }

  async execute(request: ValidateRequest, hooks: ValidateHooks): Promise<ValidateReport> {
    const { listings, outbox, searchIndex, maintenance } = this.#deps;
    const started = this.#deps.monotonicMs();
    const random = this.#deps.random ?? Math.random;
    const serving = (await maintenance.indices()).serving;
    if (serving === null) throw new AppError('PRECONDITION_FAILED', 'there is no serving search index to validate');
    await searchIndex.refresh();

    const fieldShare =
      request.sample === null
        ? 1
        : Math.min(1, request.sample / Math.max(1, await listings.countForReindex({ scope: 'live' })));
    const cacheCheck =
      this.#deps.cache === undefined ? null : new CachedListingsCheck(this.#deps.cache, request.keptIds);
    const tally = new DriftTally(request.keptIds);
    const counts = await compareIndex(
      listings,
      maintenance,
      {
        fieldShare,
        random,
        stopped: hooks.stopped,
        progress: hooks.progress,
        ...(cacheCheck === null ? {} : { onRows: (rows) => cacheCheck.check(rows) }),
      },
      tally,
    );
    if (counts.stopped) throw new AppError('INTERRUPTED', 'validate interrupted: nothing was repaired');

    const incomplete: string[] = [];
    const beyond = tally.truncated();
    if (beyond > 0) {
      incomplete.push(`${beyond} finding(s) beyond --max-ids ${request.keptIds} per kind were counted, not re-checked`);
    }
    let confirmed: IndexFinding[] = [];
    const found = tally.findings();
    if (found.length > 0 || (cacheCheck?.staleIds().length ?? 0) > 0) {
      if (request.settleMs > 0) await sleep(request.settleMs);
      await searchIndex.refresh();
      confirmed = await recheckFindings(listings, maintenance, found);
      if (cacheCheck !== null && cacheCheck.staleIds().length > 0) {
        await cacheCheck.recheck(await loadCurrentListings(listings, cacheCheck.staleIds()));
      }
    }

    const deadLetters = await this.#deadLetters(request.keptIds);
    const cache = cacheCheck?.result() ?? null;
    if (cache !== null && cache.failures > 0) incomplete.push(`${cache.failures} cache read(s) failed`);

    const drift = {} as Record<IndexDriftKind, KindReport>;
    for (const kind of INDEX_DRIFT_KINDS) {
      const ids = confirmed.filter((finding) => finding.kind === kind).map((finding) => finding.id);
      const kept = tally.kinds.get(kind);
      drift[kind] = { count: ids.length + ((kept?.count ?? 0) - (kept?.findings.length ?? 0)), ids };
    }
    const mismatchedFields: Record<string, number> = {};
    for (const finding of confirmed) {
      for (const field of finding.fields ?? []) mismatchedFields[field] = (mismatchedFields[field] ?? 0) + 1;
    }
    const report = {
      drift: {
        ...drift,
        deadLetters: { count: deadLetters.count, ids: deadLetters.listingIds },
        cacheStale: { count: cache?.stale ?? 0, ids: cache?.ids ?? [] },
      },
    };
    const clean = Object.values(report.drift).every((kind) => kind.count === 0);

    let fix: ValidateReport['fix'] = null;
    if (request.fix && !clean) {
      const repaired = await repairDrift({ outbox, searchIndex }, confirmed, deadLetters.jobIds, {
        dryRun: request.dryRun,
        maxDeletes: request.maxDeletes,
        confirmDeletes: hooks.confirmDeletes,
      });
      const stale = cache?.ids ?? [];
      if (!request.dryRun && stale.length > 0) await this.#deps.cache?.cache.invalidate(stale);
      fix = { ...repaired, evicted: stale.length };
    }
    const durationMs = Math.round(this.#deps.monotonicMs() - started);
    return {
      engine: maintenance.engine,
      index: serving,
      checked: {
        listings: counts.listings,
        searchable: counts.searchable,
        documents: counts.documents,
        fieldsCompared: counts.fieldsCompared,
      },
      clean,
      ...report,
      mismatchedFields,
      cache,
      incomplete,
      fix,
      durationMs,
      listingsPerSecond: Math.round(counts.listings / (Math.max(durationMs, 1) / 1000)),
    };
  }

  /** Dead letters: their count, and the job and listing ids of the oldest `limit`. */
  async #deadLetters(limit: number): Promise<{ count: number; jobIds: number[]; listingIds: number[] }> {
    const { outbox } = this.#deps;
    const count = (await outbox.stats()).dead;
    const jobIds: number[] = [];
    const listingIds: number[] = [];
    let afterId: number | undefined;
    while (jobIds.length < Math.min(count, limit)) {
      const page = await outbox.deadLetters({
        limit: Math.min(1000, limit - jobIds.length),
        ...(afterId === undefined ? {} : { afterId }),
      });
      if (page.length === 0) break;
      for (const letter of page) {
        jobIds.push(letter.id);
        listingIds.push(letter.listingId);
      }
      afterId = page.at(-1)?.id;
    }
    return { count, jobIds, listingIds };
  }
}
