import { randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import {
  BodyMeter,
  bodyChunks,
  type ListedObject,
  type ListOptions,
  type ObjectInfo,
  type ObjectStore,
  objectNotFound,
  type PutOptions,
  type PutResult,
  type StoredObject,
  validateObjectKey,
  validateObjectPrefix,
  validatePresignedTtl,
  validatePutOptions,
} from '../../ports/object-store.ts';
import { AppError } from '../../src/domain/errors.ts';
import { isMissing, walkObjects } from './folder-walk.ts';
import { encodeTrailer, type Manifest, readManifest, writeFully } from './object-file.ts';
import { objectFilePath, tempFolder } from './object-paths.ts';
import { DEFAULT_SIGNED_PATH_BASE, MIN_SIGNING_SECRET_BYTES, signPath } from './signed-path.ts';

export interface FsObjectStoreSettings {
  /** The storage folder (`SVETULISTINGS_STORAGE_DIR`); created by `ensureReady`. */
  readonly root: string;
  /** HMAC key of presigned paths, at least 16 bytes; `listings serve` must verify with the same one. */
  readonly signingSecret: string;
  /** Path prefix of presigned URLs, `/files` by default. */
  readonly signedPathBase?: string;
  /** Current time in epoch milliseconds (tests pin it). */
  readonly now?: () => number;
}

/** Temp files untouched for this long were left by a crash and are removed by `ensureReady`. */
const STALE_TEMP_MS = 60 * 60 * 1000;
/** A concurrent delete may remove an empty folder between our mkdir and rename; retrying wins the race. */
const RENAME_ATTEMPTS = 5;

/**
 * An {@link ObjectStore} in a local folder, the embedded default (see object-paths.ts for the layout and
 * object-file.ts for the file format). Uploads stream into `<root>/.tmp/`, are fsynced, then renamed into
 * place, so readers see the old object or the new one and a failed upload leaves nothing. Open bodies
 * survive overwrites and deletes (POSIX keeps an open file's data until it is closed).
 */
export class FsObjectStore implements ObjectStore {
  readonly #root: string;
  readonly #secret: string;
  readonly #base: string;
  readonly #now: () => number;

  constructor(settings: FsObjectStoreSettings) {
    if (Buffer.byteLength(settings.signingSecret) < MIN_SIGNING_SECRET_BYTES) {
      throw new AppError(
        'CONFIG_INVALID',
        `the storage signing secret must be at least ${MIN_SIGNING_SECRET_BYTES} bytes`,
      );
    }
    this.#root = resolve(settings.root);
    this.#secret = settings.signingSecret;
    this.#base = settings.signedPathBase ?? DEFAULT_SIGNED_PATH_BASE;
    this.#now = settings.now ?? Date.now;
  }

  async put(key: string, body: Readable | Uint8Array, options: PutOptions): Promise<PutResult> {
    validateObjectKey(key);
    validatePutOptions(options);
    const target = objectFilePath(this.#root, key);
    const temp = join(tempFolder(this.#root), `${randomUUID()}.part`);
    let handle: FileHandle | undefined;
    // The body's own errors reach the caller unchanged; only our disk's errors are translated.
    let fromBody = false;
    try {
      handle = await open(temp, 'wx').catch(async (error: unknown) => {
        if (!isMissing(error)) throw error;
        await mkdir(tempFolder(this.#root), { recursive: true });
        return open(temp, 'wx');
      });
      const meter = new BodyMeter(options);
      fromBody = true;
      for await (const chunk of bodyChunks(body)) {
        fromBody = false;
        meter.add(chunk);
        await writeFully(handle, chunk);
        fromBody = true;
      }
      fromBody = false;
      const { size, sha256 } = meter.finish();
      const manifest: Manifest = {
        key,
        size,
        contentType: options.contentType,
        metadata: { ...options.metadata },
        etag: sha256.slice(0, 32),
        sha256,
        lastModified: this.#now(),
      };
      await writeFully(handle, encodeTrailer(manifest));
      await handle.sync();
      await handle.close();
      handle = undefined;
      await this.#publish(temp, target);
      return { key, size, etag: manifest.etag, sha256 };
    } catch (error) {
      await handle?.close().catch(() => {});
      await rm(temp, { force: true });
      throw fromBody ? error : storageFailure(error);
    }
  }

  async get(key: string): Promise<StoredObject> {
    validateObjectKey(key);
    const opened = await this.#openObject(key);
    if (!opened) throw objectNotFound(key);
    const { handle, info } = opened;
    const body =
      info.size === 0 ? Readable.from([]) : handle.createReadStream({ start: 0, end: info.size - 1, autoClose: true });
    if (info.size === 0) await handle.close();
    return { ...info, body };
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    validateObjectKey(key);
    const opened = await this.#openObject(key);
    if (!opened) return undefined;
    await opened.handle.close();
    return opened.info;
  }

  async *list(prefix: string, options: ListOptions): AsyncIterable<ListedObject> {
    validateObjectPrefix(prefix);
    if (options.startAfter !== undefined) validateObjectPrefix(options.startAfter, 'start_after');
    yield* walkObjects(this.#root, prefix, options.recursive, options.startAfter);
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) validateObjectKey(key);
    for (const key of keys) {
      const path = objectFilePath(this.#root, key);
      try {
        await unlink(path);
      } catch (error) {
        if (!isMissing(error)) throw storageFailure(error);
      }
      await this.#pruneEmptyFolders(dirname(path));
    }
  }

  async presignedGetUrl(key: string, ttlSeconds: number): Promise<string> {
    validateObjectKey(key);
    validatePresignedTtl(ttlSeconds);
    return signPath(key, new Date(this.#now() + ttlSeconds * 1000), this.#secret, this.#base);
  }

  async ensureReady(): Promise<void> {
    try {
      await mkdir(tempFolder(this.#root), { recursive: true });
      // Proves the folder is writable, which is what a health check of this store means.
      const probe = join(tempFolder(this.#root), `${randomUUID()}.probe`);
      await (await open(probe, 'wx')).close();
      await unlink(probe);
      await this.#removeStaleTempFiles();
    } catch (error) {
      throw new AppError('DEPENDENCY_UNAVAILABLE', `storage folder ${this.#root} is not usable: ${messageOf(error)}`, {
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    // Nothing is held between calls: every handle belongs to one call or to a body stream.
  }

  async #openObject(key: string): Promise<{ handle: FileHandle; info: ObjectInfo } | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(objectFilePath(this.#root, key), 'r');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw storageFailure(error);
    }
    try {
      const manifest = await readManifest(handle, (await handle.stat()).size);
      if (!manifest) throw new AppError('INTERNAL', `the stored file of ${JSON.stringify(key)} is damaged`);
      const { size, contentType, etag, metadata, lastModified } = manifest;
      return { handle, info: { key, size, contentType, etag, metadata, lastModified: new Date(lastModified) } };
    } catch (error) {
      await handle.close();
      throw storageFailure(error);
    }
  }

  async #publish(temp: string, target: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await mkdir(dirname(target), { recursive: true });
      try {
        await rename(temp, target);
        break;
      } catch (error) {
        if (!isMissing(error) || attempt >= RENAME_ATTEMPTS) throw error;
      }
    }
    // The rename is durable only once the folder entry is on disk.
    const folder = await open(dirname(target), 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }

  /** Removes folders left empty by a delete, up to (not including) the root. */
  async #pruneEmptyFolders(folder: string): Promise<void> {
    for (let current = folder; current.startsWith(this.#root + sep); current = dirname(current)) {
      try {
        await rmdir(current);
      } catch {
        return; // not empty (or already gone): stop climbing
      }
    }
  }

  async #removeStaleTempFiles(): Promise<void> {
    const folder = tempFolder(this.#root);
    for (const name of await readdir(folder)) {
      const path = join(folder, name);
      const info = await stat(path).catch(() => undefined);
      if (info && this.#now() - info.mtimeMs > STALE_TEMP_MS) await rm(path, { force: true });
    }
  }
}

/** Keeps AppErrors and the body's own errors; a full or read-only disk becomes DEPENDENCY_UNAVAILABLE. */
function storageFailure(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && ['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO'].includes(code)) {
    return new AppError('DEPENDENCY_UNAVAILABLE', `object storage folder failed: ${messageOf(error)}`, {
      cause: error,
    });
  }
  return error;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
