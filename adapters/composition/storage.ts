import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DependencyCheck } from '../../ports/health-check.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { Config } from '../config/config.ts';
import { FsObjectStore } from '../fs-storage/fs-object-store.ts';
import { MinioObjectStore } from '../minio/minio-object-store.ts';
import { DATA_DIR_SETTING, ensureFolder } from './data-folder.ts';

export interface StorageAdapters {
  readonly store: ObjectStore;
  /** Set for the local folder: `listings serve` serves its signed `/files/...` URLs with it. */
  readonly fsSigningSecret: string | undefined;
  readonly location: string;
  readonly check: DependencyCheck;
}

/**
 * The object store of the config: MinIO/S3 when an endpoint is set, else a local folder (the embedded default).
 * The folder's URL-signing secret comes from STORAGE_SIGNING_SECRET, or is generated once and kept beside the
 * data, so URLs handed out keep working across restarts without any configuration.
 */
export function buildObjectStore(config: Config): StorageAdapters {
  if (config.storage.driver === 'minio') {
    const { endpoint, accessKey, secretKey, useSsl, bucket, region } = config.minio;
    const store = new MinioObjectStore({ endpoint, accessKey, secretKey, useSsl, bucket, region });
    return {
      store,
      fsSigningSecret: undefined,
      location: `MinIO bucket ${bucket} at ${endpoint}`,
      check: storeCheck('minio', store),
    };
  }
  const signingSecret =
    config.storage.signingSecret || persistentSecret(resolve(config.dataDir, 'storage-signing-secret'));
  const store = new FsObjectStore({ root: config.storage.directory, signingSecret });
  return {
    store,
    fsSigningSecret: signingSecret,
    location: `folder ${config.storage.directory}`,
    check: storeCheck('storage', store),
  };
}

function storeCheck(name: string, store: ObjectStore): DependencyCheck {
  // Not critical: listings are served without images; uploads fail with a clear error meanwhile.
  return { name, critical: false, check: () => store.ensureReady() };
}

function persistentSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  ensureFolder(dirname(file), DATA_DIR_SETTING);
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
