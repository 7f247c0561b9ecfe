/**
 * `listings validate [--fix]`: compares PostgreSQL with the search index (and the listing cache when there is a
 * shared one), reports drift per kind with ids, and with `fix` repairs it (ops-scripts.md §1.8).
 *
 * 1. One merge pass over every live row and every document, in id order, in constant memory (compare-index.ts).
 * 2. What it found is read again after a pause (recheck-findings.ts): only drift that outlives in-flight writes is
 *    reported. At most `keptIds` findings per kind are kept for this; beyond that they are counted only.
 * 3. Dead letters in the outbox are drift too: the index never got those listings.
 * 4. Stored images (image-objects-check.ts, unless skipped): rows whose object is gone, objects no row points at.
 * 4b. The read copy of side rows (side-rows-copy-check.ts, when given): listings whose copy differs from their side
 *    tables.
 * 5. With `fix`: repair-drift.ts (re-enqueue, delete documents without rows, requeue dead letters), cache eviction,
 *    orphan objects deleted under the same guards as documents without rows (missing objects cannot be
 *    repaired: only reported), and drifted side-row copies rebuilt. `dryRun` reports what it would do.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { IndexOutbox } from '../../ports/index-outbox.ts';
import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { SearchIndex } from '../../ports/search-index.ts';
import type { SearchIndexMaintenance } from '../../ports/search-index-maintenance.ts';
import type { SideRowsCopy } from '../../ports/side-rows-copy.ts';
import { AppError } from '../domain/errors.ts';
import { DEFAULT_GRACE_MS } from '../images/collect-orphans.ts';
import { loadCurrentListings } from '../indexing/current-listings.ts';
import type { CacheCheckDeps, CacheCheckResult } from './cached-listings-check.ts';
import { CachedListingsCheck } from './cached-listings-check.ts';
import { type CompareCounts, compareIndex } from './compare-index.ts';
import { DriftTally, INDEX_DRIFT_KINDS, type IndexDriftKind, type IndexFinding } from './drift.ts';
import { type ImageCheckDeps, type ImageCheckResult, ImageObjectsCheck } from './image-objects-check.ts';
import { recheckFindings } from './recheck-findings.ts';
import { type RepairReport, repairDrift } from './repair-drift.ts';
import { findDriftedSideRows, type SideRowsCheckResult } from './side-rows-copy-check.ts';

export interface ValidateDeps {
  readonly listings: ListingRepository;
  readonly outbox: IndexOutbox;
  readonly searchIndex: SearchIndex;
  readonly maintenance: SearchIndexMaintenance;
  /** The shared listing cache (Redis); undefined when there is none to check. */
  readonly cache?: CacheCheckDeps;
  /** The object store and image rows; undefined skips the stored-images check (`--no-images`). */
  readonly images?: ImageCheckDeps;
  /** The read copy of listings' side rows; undefined skips its check. */
  readonly sideRows?: SideRowsCopy;
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
  /** Image folders younger than this are not judged orphans (default 1 hour, as `listings images gc`). */
  readonly imagesOlderThanMs?: number;
}

export interface ValidateHooks {
  stopped(): boolean;
  progress(counts: CompareCounts): void;
  /** Asked before deleting documents without rows; false skips the deletes. */
  confirmDeletes(count: number): Promise<boolean>;
  /** The stored-images check's progress: objects listed, then image rows looked up. */
  imageProgress?(phase: 'objects' | 'images', done: number): void;
  /** Asked before deleting image objects without rows; false (or absent) skips those deletes. */
  confirmObjectDeletes?(count: number): Promise<boolean>;
}

export interface KindReport {
  readonly count: number;
  /** Listing ids (for the stored-images kinds: the listings of the keys, when known). */
  readonly ids: readonly number[];
  /** Object keys, for the stored-images kinds. */
  readonly keys?: readonly string[];
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
    readonly objectMissing: KindReport;
    readonly orphanObject: KindReport;
    /** Listings whose read copy of side rows differs from the side tables. */
    readonly sideRowsStale: KindReport;
  };
  /** Field name → mismatched documents (of the kept ones). */
  readonly mismatchedFields: Readonly<Record<string, number>>;
  readonly cache: CacheCheckResult | null;
  /** The stored-images check (missing and orphan objects listed in `drift`); null when skipped. */
  readonly images: Omit<ImageCheckResult, 'missing' | 'orphans'> | null;
  /** The side-row copy check: listings examined; null when skipped. */
  readonly sideRows: { readonly examined: number } | null;
  /** Checks that could not complete (`--strict` exits 5 on any). */
  readonly incomplete: readonly string[];
  readonly fix: (RepairReport & ObjectRepair & { readonly evicted: number; readonly rebuiltSideRows: number }) | null;
  readonly durationMs: number;
  readonly listingsPerSecond: number;
}

/** What `--fix` did about stored images: orphan objects deleted under the same guards as documents without rows. */
export interface ObjectRepair {
  readonly deletedObjects: number;
  /** Why orphan objects were not deleted (over `maxDeletes`, declined), or null. */
  readonly objectDeletesSkipped: string | null;
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

    const imageCheck = this.#deps.images === undefined ? null : new ImageObjectsCheck(this.#deps.images);
    let images =
      imageCheck === null
        ? null
        : await imageCheck.run({
            keptKeys: request.keptIds,
            olderThanMs: request.imagesOlderThanMs ?? DEFAULT_GRACE_MS,
            stopped: hooks.stopped,
            ...(hooks.imageProgress === undefined ? {} : { progress: hooks.imageProgress }),
          });

    const sideRows = await this.#checkSideRows(request, hooks);

    const incomplete: string[] = [];
    if (sideRows !== null && sideRows.count > sideRows.ids.length) {
      incomplete.push(
        `${sideRows.count - sideRows.ids.length} side-row cop(ies) beyond --max-ids ${request.keptIds} were counted, not rebuilt`,
      );
    }
    const beyond = tally.truncated();
    if (beyond > 0) {
      incomplete.push(`${beyond} finding(s) beyond --max-ids ${request.keptIds} per kind were counted, not re-checked`);
    }
    let confirmed: IndexFinding[] = [];
    const found = tally.findings();
    const imageFindings = (images?.missing.rows.length ?? 0) + (images?.orphans.keys.length ?? 0);
    if (found.length > 0 || (cacheCheck?.staleIds().length ?? 0) > 0 || imageFindings > 0) {
      if (request.settleMs > 0) await sleep(request.settleMs);
      await searchIndex.refresh();
      confirmed = await recheckFindings(listings, maintenance, found);
      if (cacheCheck !== null && cacheCheck.staleIds().length > 0) {
        await cacheCheck.recheck(await loadCurrentListings(listings, cacheCheck.staleIds()));
      }
      if (imageCheck !== null && images !== null && imageFindings > 0) images = await imageCheck.recheck(images);
    }

    const deadLetters = await this.#deadLetters(request.keptIds);
    if (images !== null) {
      const uncheckedImages =
        images.missing.count - images.missing.rows.length + (images.orphans.count - images.orphans.keys.length);
      if (uncheckedImages > 0) {
        incomplete.push(
          `${uncheckedImages} stored-image finding(s) beyond --max-ids ${request.keptIds} were counted, not re-checked`,
        );
      }
    }
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
        objectMissing: {
          count: images?.missing.count ?? 0,
          ids: [...new Set(images?.missing.rows.map((row) => row.listingId) ?? [])],
          keys: images?.missing.rows.map((row) => row.storageKey) ?? [],
        },
        orphanObject: { count: images?.orphans.count ?? 0, ids: [], keys: images?.orphans.keys ?? [] },
        sideRowsStale: { count: sideRows?.count ?? 0, ids: sideRows?.ids ?? [] },
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
      const objects =
        imageCheck === null || images === null
          ? { deletedObjects: 0, objectDeletesSkipped: null }
          : await this.#deleteOrphanObjects(imageCheck, images.orphans, request, hooks);
      const rebuild = sideRows?.ids ?? [];
      if (!request.dryRun && rebuild.length > 0) await this.#deps.sideRows?.rebuild(rebuild);
      fix = { ...repaired, ...objects, evicted: stale.length, rebuiltSideRows: rebuild.length };
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
      images: images === null ? null : withoutFindings(images),
      sideRows: sideRows === null ? null : { examined: sideRows.examined },
      incomplete,
      fix,
      durationMs,
      listingsPerSecond: Math.round(counts.listings / (Math.max(durationMs, 1) / 1000)),
    };
  }

  /**
   * Orphan objects go under the guards of documents without rows: none when there are more than `maxDeletes` (or more
   * than were kept), none unless confirmed, none on a dry run; and only those still unreferenced just before.
   */
  async #deleteOrphanObjects(
    check: ImageObjectsCheck,
    orphans: ImageCheckResult['orphans'],
    request: ValidateRequest,
    hooks: ValidateHooks,
  ): Promise<ObjectRepair> {
    if (orphans.count === 0) return { deletedObjects: 0, objectDeletesSkipped: null };
    if (orphans.count > request.maxDeletes || orphans.count > orphans.keys.length) {
      const skipped = `${orphans.count} image objects without a row exceed --max-deletes ${request.maxDeletes}: none deleted`;
      return { deletedObjects: 0, objectDeletesSkipped: skipped };
    }
    if (request.dryRun) return { deletedObjects: orphans.count, objectDeletesSkipped: null };
    const confirmed = (await hooks.confirmObjectDeletes?.(orphans.count)) ?? false;
    if (!confirmed)
      return { deletedObjects: 0, objectDeletesSkipped: 'deleting image objects without a row was declined' };
    const doomed = await check.stillOrphaned(orphans.keys);
    await check.deleteObjects(doomed);
    return { deletedObjects: doomed.length, objectDeletesSkipped: null };
  }

  async #checkSideRows(request: ValidateRequest, hooks: ValidateHooks): Promise<SideRowsCheckResult | null> {
    const copy = this.#deps.sideRows;
    if (copy === undefined) return null;
    const result = await findDriftedSideRows(copy, { keptIds: request.keptIds, stopped: hooks.stopped });
    if (result.stopped) throw new AppError('INTERRUPTED', 'validate interrupted: nothing was repaired');
    return result;
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

function withoutFindings(images: ImageCheckResult): Omit<ImageCheckResult, 'missing' | 'orphans'> {
  const { missing: _missing, orphans: _orphans, ...counts } = images;
  return counts;
}
