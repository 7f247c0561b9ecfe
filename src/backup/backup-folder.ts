import { randomBytes } from 'node:crypto';
import type { ObjectStore } from '../../ports/object-store.ts';
import { AppError } from '../domain/errors.ts';
import { type ManifestParse, parseManifest } from './manifest.ts';

/**
 * Where backups live in an object store (a folder or a bucket), under an optional prefix:
 *
 *   <prefix><id>/data/<dump file>       the dump (database.dump, database/<n>.dat.gz..., pgdata.tar.gz)
 *   <prefix><id>/objects/<image key>    image objects, with --with-objects
 *   <prefix><id>/manifest.json          written last: a backup without it is incomplete
 *   <prefix><id>/verify.json            the last verify's result, rewritten by each verify
 *
 * Ids sort by time (`20261125T181915Z-3fa2`). Keys under the prefix that are not in a folder named like an id
 * are not backups and are never touched, so a bucket can be shared.
 */
export const BACKUP_ID = /^\d{8}T\d{6}Z-[0-9a-f]{4}$/;

/** A new id for a backup taken at `at` (UTC), with a random suffix so two backups in one second differ. */
export function newBackupId(at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** What `verify` last found, kept beside the manifest (the manifest itself never changes). */
export interface VerifyRecord {
  readonly verifiedAt: string;
  readonly passed: boolean;
  /** Whether step 4 (a test restore) ran. */
  readonly restored: boolean;
  /** The first failed step (1–4), or null. */
  readonly failedStep: number | null;
  readonly message: string;
}

export interface StoredBackup {
  readonly id: string;
  readonly hasManifest: boolean;
  /** Every object key of the backup folder, with its size. */
  readonly objects: readonly { readonly key: string; readonly size: number }[];
}

export class BackupFolder {
  readonly store: ObjectStore;
  readonly prefix: string;

  /** `prefix` is `''` or ends with `/`. */
  constructor(store: ObjectStore, prefix: string) {
    if (prefix !== '' && !prefix.endsWith('/')) throw new AppError('INTERNAL', 'a backup prefix ends with /');
    this.store = store;
    this.prefix = prefix;
  }

  /** `<prefix><id>/` */
  folder(id: string): string {
    return `${this.prefix}${id}/`;
  }
  dataKey(id: string, name: string): string {
    return `${this.folder(id)}data/${name}`;
  }
  objectKey(id: string, imageKey: string): string {
    return `${this.folder(id)}objects/${imageKey}`;
  }
  manifestKey(id: string): string {
    return `${this.folder(id)}manifest.json`;
  }
  verifyKey(id: string): string {
    return `${this.folder(id)}verify.json`;
  }

  /** Every backup folder, oldest id first, complete or not. */
  async list(): Promise<StoredBackup[]> {
    const byId = new Map<string, { hasManifest: boolean; objects: { key: string; size: number }[] }>();
    for await (const object of this.store.list(this.prefix, { recursive: true })) {
      const rest = object.key.slice(this.prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) continue;
      const id = rest.slice(0, slash);
      if (!BACKUP_ID.test(id)) continue;
      let entry = byId.get(id);
      if (entry === undefined) {
        entry = { hasManifest: false, objects: [] };
        byId.set(id, entry);
      }
      if (rest === `${id}/manifest.json`) entry.hasManifest = true;
      entry.objects.push({ key: object.key, size: object.size });
    }
    return [...byId.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, entry]) => ({ id, ...entry }));
  }

  /** The parsed manifest, or `undefined` when there is none. */
  async readManifest(id: string): Promise<ManifestParse | undefined> {
    const text = await this.#readText(this.manifestKey(id));
    return text === undefined ? undefined : parseManifest(text, id);
  }

  async readVerifyRecord(id: string): Promise<VerifyRecord | undefined> {
    const text = await this.#readText(this.verifyKey(id));
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as VerifyRecord;
    } catch {
      return undefined;
    }
  }

  async writeVerifyRecord(id: string, record: VerifyRecord): Promise<void> {
    await this.store.put(this.verifyKey(id), Buffer.from(`${JSON.stringify(record, null, 2)}\n`), {
      contentType: 'application/json',
    });
  }

  async #readText(key: string): Promise<string | undefined> {
    let object: Awaited<ReturnType<ObjectStore['get']>>;
    try {
      object = await this.store.get(key);
    } catch (error) {
      if (error instanceof AppError && error.code === 'OBJECT_NOT_FOUND') return undefined;
      throw error;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of object.body) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks).toString('utf8');
  }
}
