import type { Clock } from '../../ports/clock.ts';
import { type ImageKeyIndex, MAX_LISTINGS_PER_LOOKUP } from '../../ports/image-key-index.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ListedObject, ObjectStore } from '../../ports/object-store.ts';
import { validationError } from '../domain/errors.ts';
import { IMAGE_KEY_PREFIX, parseImageKey } from './image-keys.ts';

export interface CollectOrphansDeps {
  readonly store: Pick<ObjectStore, 'list' | 'delete'>;
  readonly keys: ImageKeyIndex;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Objects judged per database lookup (and per delete request); default and maximum 1000. */
  readonly batchObjects?: number;
}

export interface CollectOrphansInput {
  /** Grace period in milliseconds: a folder with an object younger than this is kept. Default 1 hour. */
  readonly olderThanMs?: number;
  /** Report what would be deleted, delete nothing. */
  readonly dryRun?: boolean;
  /** Called after each batch, for progress output. */
  readonly onProgress?: (report: CollectOrphansReport) => void;
  /**
   * Called with every object listed, in key order, before it is judged: `validate` matches its image rows against
   * this same listing rather than listing the store twice.
   */
  readonly onObject?: (object: ListedObject) => Promise<void>;
  readonly signal?: AbortSignal;
  /** How many orphan keys the report lists; default {@link MAX_REPORTED_KEYS} (`validate` keeps `--max-ids`). */
  readonly keptKeys?: number;
}

export interface CollectOrphansReport {
  readonly dryRun: boolean;
  readonly olderThanMs: number;
  /** Objects listed under `listings/`. */
  scannedObjects: number;
  /** Kept: their folder holds a `listing_images.storage_key`. */
  referencedObjects: number;
  /** Kept: no row, but their folder changed within the grace period (an upload may be in progress). */
  recentObjects: number;
  /** Kept: keys not of the upload layout (`listings/<id>/<uuid>/<name>`); this collector never judges them. */
  foreignObjects: number;
  /** No row and older than the grace period: deleted (or, with dryRun, would be). */
  orphanObjects: number;
  orphanBytes: number;
  deletedObjects: number;
  /** The first orphan keys (up to `keptKeys`, default {@link MAX_REPORTED_KEYS}), for the operator. */
  readonly orphanKeys: string[];
}

export const DEFAULT_GRACE_MS = 60 * 60 * 1000;
export const MAX_REPORTED_KEYS = 1000;
/** S3 deletes at most 1000 keys per request. */
const MAX_BATCH_OBJECTS = 1000;

interface Folder {
  readonly listingId: number;
  readonly prefix: string;
  readonly objects: ListedObject[];
}

/**
 * `listings images gc`: finds image objects no `listing_images` row points at (left by a crash between storing the
 * bytes and committing the row, by a failed cleanup, or by a hard-deleted listing) and deletes them.
 *
 * It judges folders (`image-keys.ts`): a folder is kept while some row's `storage_key` lies in it (that covers the
 * thumbnails beside the original), and while any of its objects is younger than the grace period, so an upload in
 * progress (bytes stored, row not yet committed) is never touched. Keys of any other shape are counted and left
 * alone. Listing and deleting go batch by batch, so memory stays flat however many objects there are.
 */
export class CollectOrphanImages {
  readonly #deps: CollectOrphansDeps;

  constructor(deps: CollectOrphansDeps) {
    this.#deps = deps;
  }

  async execute(input: CollectOrphansInput = {}): Promise<CollectOrphansReport> {
    const olderThanMs = input.olderThanMs ?? DEFAULT_GRACE_MS;
    if (!Number.isSafeInteger(olderThanMs) || olderThanMs < 0) {
      const message = 'older_than must be a non-negative number of milliseconds';
      throw validationError([{ field: 'older_than', reason: 'invalid', message }]);
    }
    const report: CollectOrphansReport = {
      dryRun: input.dryRun === true,
      olderThanMs,
      scannedObjects: 0,
      referencedObjects: 0,
      recentObjects: 0,
      foreignObjects: 0,
      orphanObjects: 0,
      orphanBytes: 0,
      deletedObjects: 0,
      orphanKeys: [],
    };
    const keptKeys = input.keptKeys ?? MAX_REPORTED_KEYS;
    const cutoff = this.#deps.clock.now().getTime() - olderThanMs;
    const batchLimit = Math.min(this.#deps.batchObjects ?? MAX_BATCH_OBJECTS, MAX_BATCH_OBJECTS);
    let batch: Folder[] = [];
    let batchObjects = 0;
    const judgeBatch = async () => {
      await this.#judge(batch, cutoff, keptKeys, report);
      batch = [];
      batchObjects = 0;
      input.onProgress?.(report);
    };

    // Keys arrive in order, so each folder's objects are contiguous: a folder is complete when the next one starts.
    let current: Folder | undefined;
    for await (const object of this.#deps.store.list(IMAGE_KEY_PREFIX, { recursive: true })) {
      input.signal?.throwIfAborted();
      report.scannedObjects++;
      await input.onObject?.(object);
      const parsed = parseImageKey(object.key);
      if (parsed === undefined) {
        report.foreignObjects++;
        continue;
      }
      if (current?.prefix !== parsed.folder) {
        if (current !== undefined) {
          batch.push(current);
          batchObjects += current.objects.length;
        }
        if (batchObjects >= batchLimit || batch.length >= MAX_LISTINGS_PER_LOOKUP) await judgeBatch();
        current = { listingId: parsed.listingId, prefix: parsed.folder, objects: [] };
      }
      current.objects.push(object);
    }
    if (current !== undefined) batch.push(current);
    await judgeBatch();
    this.#deps.logger?.info({ ...report, orphanKeys: undefined }, 'image orphan collection finished');
    return report;
  }

  /** Sorts one batch of folders into kept and orphaned, and deletes the orphans unless dry-running. */
  async #judge(
    folders: readonly Folder[],
    cutoff: number,
    keptKeys: number,
    report: CollectOrphansReport,
  ): Promise<void> {
    if (folders.length === 0) return;
    const referenced = await referencedFolders(
      this.#deps.keys,
      folders.map((folder) => folder.listingId),
    );
    const orphans: string[] = [];
    for (const folder of folders) {
      if (referenced.has(folder.prefix)) {
        report.referencedObjects += folder.objects.length;
      } else if (folder.objects.some((object) => object.lastModified.getTime() >= cutoff)) {
        report.recentObjects += folder.objects.length;
      } else {
        for (const object of folder.objects) {
          orphans.push(object.key);
          report.orphanBytes += object.size;
          if (report.orphanKeys.length < keptKeys) report.orphanKeys.push(object.key);
        }
      }
    }
    report.orphanObjects += orphans.length;
    if (report.dryRun || orphans.length === 0) return;
    await this.#deps.store.delete(orphans);
    report.deletedObjects += orphans.length;
  }
}

/**
 * The image folders (`listings/<id>/<uuid>/`) some `listing_images.storage_key` of these listings lies in: what keeps
 * a folder's objects. Shared with `validate`, which asks again before deleting the orphans it reported.
 */
export async function referencedFolders(keys: ImageKeyIndex, listingIds: readonly number[]): Promise<Set<string>> {
  const referenced = new Set<string>();
  const distinct = [...new Set(listingIds)];
  for (let start = 0; start < distinct.length; start += MAX_LISTINGS_PER_LOOKUP) {
    for (const key of await keys.storageKeysOf(distinct.slice(start, start + MAX_LISTINGS_PER_LOOKUP))) {
      const parsed = parseImageKey(key);
      if (parsed !== undefined) referenced.add(parsed.folder);
    }
  }
  return referenced;
}
