import { pipeline, type Readable } from 'node:stream';
import type { Clock } from '../../ports/clock.ts';
import type { DatabaseDump, DumpFormat, DumpSource } from '../../ports/database-dump.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import { AppError } from '../domain/errors.ts';
import { parseImageKey } from '../images/image-keys.ts';
import { type BackupFolder, newBackupId } from './backup-folder.ts';
import {
  type BackupManifest,
  type ManifestEntry,
  type ManifestObject,
  manifestSize,
  serializeManifest,
} from './manifest.ts';
import { DigestingStream } from './stream-digest.ts';

export interface CreateBackupDeps {
  readonly folder: BackupFolder;
  readonly dump: DatabaseDump;
  readonly clock: Clock;
  /** `listings <version>`, recorded in the manifest. */
  readonly producer: string;
  /** The image store, read for `withObjects`. */
  readonly images?: ObjectStore;
  readonly logger?: Logger;
}

export interface CreateBackupRequest {
  readonly format: DumpFormat;
  readonly jobs: number;
  readonly withObjects: boolean;
  readonly dryRun: boolean;
  /** Called after each file or object is stored. */
  readonly onProgress?: (progress: CreateProgress) => void;
}

export interface CreateProgress {
  readonly files: number;
  readonly objects: number;
  readonly bytes: number;
}

export type CreateBackupReport =
  | { readonly dryRun: true; readonly source: DumpSource; readonly format: DumpFormat; readonly withObjects: boolean }
  | {
      readonly dryRun: false;
      readonly manifest: BackupManifest;
      readonly sizeBytes: number;
      /** Referenced image keys with no object in the image store (with --with-objects): not copied. */
      readonly missingObjects: readonly string[];
    };

/**
 * `listings backup create`: dumps the database in one snapshot through the {@link DatabaseDump} port, streams every
 * file into the backup store while hashing it, optionally copies the image objects the snapshot references, and
 * writes the manifest last. Any failure removes what this run wrote, so no half backup stays behind.
 */
export class CreateBackup {
  readonly #deps: CreateBackupDeps;

  constructor(deps: CreateBackupDeps) {
    this.#deps = deps;
  }

  async execute(request: CreateBackupRequest): Promise<CreateBackupReport> {
    const { folder, dump, clock } = this.#deps;
    if (request.withObjects && this.#deps.images === undefined) {
      throw new AppError('INTERNAL', 'withObjects needs the image store');
    }
    if (request.dryRun) {
      const source = await dump.describe();
      return { dryRun: true, source, format: request.format, withObjects: request.withObjects };
    }
    await folder.store.ensureReady();
    const id = newBackupId(clock.now());
    const written: string[] = [];
    const progress = { files: 0, objects: 0, bytes: 0 };
    try {
      const files: ManifestEntry[] = [];
      const report = await dump.dump({
        format: request.format,
        jobs: request.jobs,
        withObjectKeys: request.withObjects,
        onFile: async (file) => {
          const key = folder.dataKey(id, file.name);
          written.push(key);
          const entry = await this.#storeStream(key, file.body);
          files.push({ name: file.name, ...entry });
          progress.files += 1;
          progress.bytes += entry.size;
          request.onProgress?.({ ...progress });
        },
      });
      let objects: ManifestObject[] | null = null;
      let missingObjects: string[] = [];
      if (request.withObjects) {
        ({ objects, missingObjects } = await this.#copyObjects(
          id,
          report.referencedObjectKeys,
          written,
          progress,
          request,
        ));
      }
      const manifest: BackupManifest = {
        manifestVersion: 1,
        id,
        createdAt: report.snapshotAt.toISOString(),
        completedAt: clock.now().toISOString(),
        kind: report.kind,
        format: report.format,
        database: { name: report.database, serverVersion: report.serverVersion, schemaVersion: report.schemaVersion },
        tool: report.tool,
        producer: this.#deps.producer,
        tableRowCounts: report.tableRowCounts,
        files,
        objects,
      };
      written.push(folder.manifestKey(id));
      await folder.store.put(folder.manifestKey(id), Buffer.from(serializeManifest(manifest)), {
        contentType: 'application/json',
      });
      return { dryRun: false, manifest, sizeBytes: manifestSize(manifest), missingObjects };
    } catch (error) {
      await folder.store.delete(written).catch((cleanup: unknown) => {
        this.#deps.logger?.warn({ backupId: id, err: String(cleanup) }, 'could not remove a failed backup');
      });
      throw error;
    }
  }

  /** Streams `body` into the store, hashing on the way; checks the store's own count and hash when it gives them. */
  async #storeStream(key: string, body: Readable): Promise<{ size: number; sha256: string }> {
    const meter = new DigestingStream();
    // pipeline destroys both sides on an error of either: a failing dump fails the put, a failing put stops the dump.
    pipeline(body, meter, () => {});
    const stored = await this.#deps.folder.store.put(key, meter, { contentType: 'application/octet-stream' });
    const digest = meter.digest();
    if (stored.size !== digest.size || (stored.sha256 !== undefined && stored.sha256 !== digest.sha256)) {
      throw new AppError('CHECK_FAILED', `the store kept other bytes than were sent for ${key}`);
    }
    return digest;
  }

  async #copyObjects(
    id: string,
    referencedKeys: readonly string[],
    written: string[],
    progress: { files: number; objects: number; bytes: number },
    request: CreateBackupRequest,
  ): Promise<{ objects: ManifestObject[]; missingObjects: string[] }> {
    const images = this.#deps.images as ObjectStore;
    const folder = this.#deps.folder;
    const objects: ManifestObject[] = [];
    const missingObjects: string[] = [];
    const seenFolders = new Set<string>();
    for (const key of referencedKeys) {
      // An uploaded image is a folder (original and thumbnails); a key of another layout is copied alone.
      const imageFolder = parseImageKey(key)?.folder;
      if (imageFolder !== undefined && seenFolders.has(imageFolder)) continue;
      if (imageFolder !== undefined) seenFolders.add(imageFolder);
      const keys = imageFolder === undefined ? [key] : await keysUnder(images, imageFolder);
      if (imageFolder !== undefined && !keys.includes(key)) missingObjects.push(key);
      for (const objectKey of keys) {
        const source = await images.get(objectKey).catch((error: unknown) => {
          if (error instanceof AppError && error.code === 'OBJECT_NOT_FOUND') return undefined;
          throw error;
        });
        if (source === undefined) {
          missingObjects.push(objectKey);
          continue;
        }
        const target = folder.objectKey(id, objectKey);
        written.push(target);
        const digest = await this.#storeStream(target, source.body);
        objects.push({ key: objectKey, ...digest, contentType: source.contentType });
        progress.objects += 1;
        progress.bytes += digest.size;
        request.onProgress?.({ ...progress });
      }
    }
    return { objects, missingObjects };
  }
}

async function keysUnder(store: ObjectStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of store.list(prefix, { recursive: true })) keys.push(object.key);
  return keys;
}
