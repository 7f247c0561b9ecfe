import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Clock } from '../../ports/clock.ts';
import type { DatabaseDump, DumpKind } from '../../ports/database-dump.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import { BackupFolder } from '../../src/backup/backup-folder.ts';
import { CreateBackup } from '../../src/backup/create-backup.ts';
import { PruneBackups } from '../../src/backup/prune-backups.ts';
import { RestoreBackup } from '../../src/backup/restore-backup.ts';
import { VerifyBackup } from '../../src/backup/verify-backup.ts';
import { AppError } from '../../src/domain/errors.ts';
import type { Config } from '../config/config.ts';
import { FsObjectStore } from '../fs-storage/fs-object-store.ts';
import { MinioObjectStore } from '../minio/minio-object-store.ts';
import { PgliteDatabaseDump } from '../pglite/backup-pglite-dump.ts';
import { PostgresDatabaseDump } from '../postgres/backup-postgres-dump.ts';
import { postgresUrl } from './database.ts';
import { buildObjectStore } from './storage.ts';

/** Bigger parts than images use: a dump of unknown length may reach 10,000 parts × 16 MiB ≈ 156 GiB on S3. */
const BACKUP_PART_BYTES = 16 * 1024 * 1024;

export interface BackupRepository {
  readonly folder: BackupFolder;
  /** `folder /var/backups/listings` or `MinIO bucket b (prefix p/) at host:9000`. */
  readonly location: string;
}

/**
 * Where backups go: `s3://bucket/prefix` on the configured MinIO/S3 endpoint and credentials
 * (`SVETULISTINGS_MINIO_*`), or any other value as a local folder.
 */
export function openBackupRepository(repo: string, config: Config, logger?: Logger): BackupRepository {
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(repo);
  if (s3 !== null) {
    const bucket = s3[1] as string;
    const rawPrefix = (s3[2] ?? '').replace(/\/+$/, '');
    const prefix = rawPrefix === '' ? '' : `${rawPrefix}/`;
    const { endpoint, accessKey, secretKey, useSsl, region } = config.minio;
    const store = new MinioObjectStore({
      endpoint,
      accessKey,
      secretKey,
      useSsl,
      region,
      bucket,
      partSize: BACKUP_PART_BYTES,
      ...(logger ? { logger } : {}),
    });
    return {
      folder: new BackupFolder(store, prefix),
      location: `MinIO bucket ${bucket}${prefix ? ` (prefix ${prefix})` : ''} at ${endpoint}`,
    };
  }
  if (repo.trim() === '' || repo.includes('://')) {
    throw new AppError('USAGE_INVALID', `--repo "${repo}" is neither a folder nor s3://bucket/prefix`);
  }
  const root = resolve(repo);
  // Backups are never served through presigned paths; the folder store only needs some signing key.
  const store = new FsObjectStore({ root, signingSecret: randomBytes(32).toString('hex') });
  return { folder: new BackupFolder(store, ''), location: `folder ${root}` };
}

export interface DumpToolSettings {
  /** Folder of pg_dump/pg_restore (`--pg-bin-dir`). */
  readonly binDir?: string;
  /** Local folder for directory-format staging (`--staging-dir`). */
  readonly stagingDir?: string;
  /** The PostgreSQL server that hosts scratch databases for `verify --restore` (default: the configured one). */
  readonly scratchUrl?: string;
}

/** The dump adapter of one kind: the configured PostgreSQL (pg_dump/pg_restore) or the embedded PGlite. */
export function databaseDumpFor(kind: DumpKind, config: Config, tools: DumpToolSettings = {}): DatabaseDump {
  if (kind === 'pglite') return new PgliteDatabaseDump({ dataDir: resolve(config.dataDir, 'pglite') });
  return new PostgresDatabaseDump({
    url: tools.scratchUrl ?? postgresUrl(config.database),
    ...(tools.binDir ? { binDir: tools.binDir } : {}),
    ...(tools.stagingDir ? { stagingDir: tools.stagingDir } : {}),
  });
}

export interface BackupUseCases {
  readonly repository: BackupRepository;
  readonly create: CreateBackup;
  readonly verify: VerifyBackup;
  readonly restore: RestoreBackup;
  readonly prune: PruneBackups;
  /** The image store (opened lazily: only `--with-objects` touches it). */
  readonly images: () => ObjectStore;
  close(): Promise<void>;
}

/** Everything `listings backup` needs, for one repository and the config's database and image store. */
export function buildBackupUseCases(
  config: Config,
  options: { repo: string; clock: Clock; producer: string; tools?: DumpToolSettings; logger?: Logger },
): BackupUseCases {
  const repository = openBackupRepository(options.repo, config, options.logger);
  const { folder } = repository;
  let images: ObjectStore | undefined;
  const imageStore = () => {
    images ??= buildObjectStore(config).store;
    return images;
  };
  const dumpFor = (kind: DumpKind) => databaseDumpFor(kind, config, options.tools);
  const verify = new VerifyBackup({ folder, clock: options.clock, dumpFor });
  // The image store is built only when asked for, so a backup without --with-objects never needs it.
  const lazyImages = lazyStore(imageStore);
  return {
    repository,
    create: new CreateBackup({
      folder,
      dump: dumpFor(config.database.driver),
      clock: options.clock,
      producer: options.producer,
      images: lazyImages,
      ...(options.logger ? { logger: options.logger } : {}),
    }),
    verify,
    restore: new RestoreBackup({ folder, verify, dumpFor, images: lazyImages }),
    prune: new PruneBackups(folder),
    images: imageStore,
    async close() {
      await folder.store.close();
      if (images !== undefined) await images.close();
    },
  };
}

/** An ObjectStore that builds the real one on first use. */
function lazyStore(build: () => ObjectStore): ObjectStore {
  return {
    put: (...args) => build().put(...args),
    get: (key) => build().get(key),
    stat: (key) => build().stat(key),
    list: (prefix, options) => build().list(prefix, options),
    delete: (keys) => build().delete(keys),
    presignedGetUrl: (key, ttl) => build().presignedGetUrl(key, ttl),
    ensureReady: () => build().ensureReady(),
    close: async () => {},
  };
}
