/**
 * The stored-images drift of ops-scripts.md §1.8, for `listings validate`:
 *
 * - `objectMissing`: a `listing_images` row whose `storage_key` names no object (lost bytes: nothing can recreate
 *   them, so they are only reported). The rows are read in key order beside the same object listing the orphan
 *   judgement walks (src/validate/missing-image-objects.ts), so the whole check lists the store once and never looks
 *   objects up one by one (only rows whose key lies outside the images prefix are, with `stat`).
 * - `orphanObject`: an object under the images prefix that no row points at. Judged exactly as `listings images gc`
 *   judges it (src/images/collect-orphans.ts, run as a dry run): by image folder, and only once the folder is older
 *   than the grace period, so an upload in progress is never reported or deleted; keys outside the upload layout
 *   are counted, never judged.
 *
 * Both are read again before they are reported (`recheck`), and orphans once more before they are deleted.
 */
import type { Clock } from '../../ports/clock.ts';
import type { ImageKeyIndex, StoredImageKey } from '../../ports/image-key-index.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import { AppError } from '../domain/errors.ts';
import { CollectOrphanImages, referencedFolders } from '../images/collect-orphans.ts';
import { parseImageKey } from '../images/image-keys.ts';
import { MissingImageObjects } from './missing-image-objects.ts';

export interface ImageCheckDeps {
  readonly store: Pick<ObjectStore, 'list' | 'delete' | 'stat'>;
  readonly keys: ImageKeyIndex;
  readonly clock: Clock;
}

export interface ImageCheckResult {
  /** Image rows with a storage key, all matched against the objects. */
  readonly imageRows: number;
  /** Objects listed under the images prefix. */
  readonly scannedObjects: number;
  readonly referencedObjects: number;
  /** No row, but within the grace period (`olderThanMs`): not judged yet. */
  readonly recentObjects: number;
  /** Keys outside the upload layout: never judged. */
  readonly foreignObjects: number;
  readonly olderThanMs: number;
  readonly missing: { readonly count: number; readonly rows: readonly StoredImageKey[] };
  readonly orphans: { readonly count: number; readonly bytes: number; readonly keys: readonly string[] };
}

const PAGE = 1000;
/** `stat` calls in flight. */
const LOOKUPS = 16;

export class ImageObjectsCheck {
  readonly #deps: ImageCheckDeps;

  constructor(deps: ImageCheckDeps) {
    this.#deps = deps;
  }

  /** One pass over the objects with the rows beside it; at most `keptKeys` findings of each kind are kept. */
  async run(options: {
    readonly keptKeys: number;
    readonly olderThanMs: number;
    /** Read between batches: true ends the check with INTERRUPTED. */
    stopped(): boolean;
    /** Objects listed so far (phase `objects`, per batch judged) and image rows matched so far (phase `images`). */
    progress?(phase: 'objects' | 'images', done: number): void;
  }): Promise<ImageCheckResult> {
    const { store, keys, clock } = this.#deps;
    const stopIfAsked = () => {
      if (options.stopped()) throw new AppError('INTERRUPTED', 'validate interrupted: nothing was repaired');
    };
    const rows = new MissingImageObjects({
      keys,
      keptRows: options.keptKeys,
      withoutObject: (page) => this.#withoutObject(page),
      pageWalked: (done) => {
        options.progress?.('images', done);
        stopIfAsked();
      },
    });
    const scan = await new CollectOrphanImages({ store, keys, clock }).execute({
      olderThanMs: options.olderThanMs,
      dryRun: true,
      keptKeys: options.keptKeys,
      onObject: (object) => rows.passed(object.key),
      onProgress: (report) => {
        options.progress?.('objects', report.scannedObjects);
        stopIfAsked();
      },
    });
    const { rows: imageRows, count: missingCount, missing } = await rows.finish();
    return {
      imageRows,
      scannedObjects: scan.scannedObjects,
      referencedObjects: scan.referencedObjects,
      recentObjects: scan.recentObjects,
      foreignObjects: scan.foreignObjects,
      olderThanMs: scan.olderThanMs,
      missing: { count: missingCount, rows: missing },
      orphans: { count: scan.orphanObjects, bytes: scan.orphanBytes, keys: scan.orphanKeys },
    };
  }

  /**
   * The kept findings that still hold: rows that still exist and still have no object (an image deleted during the
   * pass loses its row first), orphan objects whose folder is still unreferenced. Counts beyond the kept findings
   * stay as they were counted.
   */
  async recheck(found: ImageCheckResult): Promise<ImageCheckResult> {
    const rows = found.missing.rows;
    const current = await this.#deps.keys.storageKeysOf([...new Set(rows.map((row) => row.listingId))]);
    const stillMissing = await this.#withoutObject(rows.filter((row) => current.has(row.storageKey)));
    const stillOrphans = await this.stillOrphaned(found.orphans.keys);
    return {
      ...found,
      missing: { count: found.missing.count - (rows.length - stillMissing.length), rows: stillMissing },
      orphans: {
        ...found.orphans,
        count: found.orphans.count - (found.orphans.keys.length - stillOrphans.length),
        keys: stillOrphans,
      },
    };
  }

  /** Of these orphan keys, those whose folder no row points into now. */
  async stillOrphaned(orphanKeys: readonly string[]): Promise<string[]> {
    const parsed = orphanKeys.map((key) => ({ key, image: parseImageKey(key) }));
    const referenced = await referencedFolders(
      this.#deps.keys,
      parsed.flatMap(({ image }) => (image === undefined ? [] : [image.listingId])),
    );
    return parsed.filter(({ image }) => image !== undefined && !referenced.has(image.folder)).map(({ key }) => key);
  }

  async deleteObjects(objectKeys: readonly string[]): Promise<void> {
    for (let start = 0; start < objectKeys.length; start += PAGE) {
      await this.#deps.store.delete(objectKeys.slice(start, start + PAGE));
    }
  }

  async #withoutObject(rows: readonly StoredImageKey[]): Promise<StoredImageKey[]> {
    const gone: StoredImageKey[] = [];
    for (let start = 0; start < rows.length; start += LOOKUPS) {
      const group = rows.slice(start, start + LOOKUPS);
      const found = await Promise.all(group.map((row) => this.#stat(row.storageKey)));
      group.forEach((row, index) => {
        if (found[index] === undefined) gone.push(row);
      });
    }
    return gone;
  }

  /** A key the store refuses (not a valid key: a hand-written row) cannot name an object: it counts as missing. */
  async #stat(key: string): Promise<unknown> {
    try {
      return await this.#deps.store.stat(key);
    } catch (error) {
      if (error instanceof AppError && error.code === 'VALIDATION_FAILED') return undefined;
      throw error;
    }
  }
}
