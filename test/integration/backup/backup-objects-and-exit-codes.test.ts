import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../adapters/fs-storage/fs-object-store.ts';
import type { BackupManifest } from '../../../src/backup/manifest.ts';
import { freshPostgres, type TestDatabase, temporaryDirectory } from '../../support/databases.ts';
import { backupCli, populate, stepsOf } from './backup-world.ts';

const SECRET = 'backup-tests-signing-secret-32-bytes';

async function bytesOf(store: FsObjectStore, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of (await store.get(key)).body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('listings backup --with-objects and exit codes', { timeout: 180_000 }, () => {
  let source: TestDatabase;
  let folder: Awaited<ReturnType<typeof temporaryDirectory>>;
  let env: Record<string, string>;
  let repo: string;
  let imageKeys: string[];
  let images: FsObjectStore;

  beforeAll(async () => {
    source = await freshPostgres('listings_bk');
    ({ imageKeys } = await populate(source.knex, 30));
    folder = await temporaryDirectory('listings-backup-objects-');
    repo = `${folder.path}/repo`;
    env = { SVETULISTINGS_DB_URL: source.url as string, SVETULISTINGS_DATA_DIR: `${folder.path}/data` };
    // The configured image store (STORAGE_DIR defaults to DATA_DIR/objects): an original and a thumbnail per image,
    // except the last image, whose objects are gone.
    images = new FsObjectStore({ root: `${folder.path}/data/objects`, signingSecret: SECRET });
    await images.ensureReady();
    for (const key of imageKeys.slice(0, -1)) {
      await images.put(key, Buffer.from(`jpeg of ${key}`), { contentType: 'image/jpeg' });
      await images.put(key.replace('original.jpg', 'small.webp'), Buffer.from(`webp of ${key}`), {
        contentType: 'image/webp',
      });
    }
  });

  afterAll(async () => {
    await images?.close();
    await source?.dispose();
    await folder?.remove();
  });

  it('copies the referenced image folders with checksums, reports missing ones, and puts them back on restore', async () => {
    const created = await backupCli(['create', '--repo', repo, '--with-objects'], env);
    expect(created.code, created.stderr).toBe(0);
    const report = created.json as { manifest: BackupManifest; missingObjects: string[] };
    const copied = report.manifest.objects ?? [];
    expect(copied.map((o) => o.key).sort()).toEqual(
      imageKeys
        .slice(0, -1)
        .flatMap((key) => [key, key.replace('original.jpg', 'small.webp')])
        .sort(),
    );
    expect(copied.every((o) => /^[0-9a-f]{64}$/.test(o.sha256) && o.size > 0)).toBe(true);
    expect(report.missingObjects).toEqual([imageKeys.at(-1)]);

    const verified = await backupCli(['verify', report.manifest.id, '--repo', repo], env);
    expect(verified.code, verified.stdout).toBe(0);
    expect(stepsOf(verified.json)[1]?.details.join()).toContain(`${1 + copied.length} file(s) and object(s)`);

    const lost = imageKeys[0] as string;
    const before = await bytesOf(images, lost);
    await images.delete([lost]);
    const target = await freshPostgres('listings_bk_target');
    try {
      const restored = await backupCli(
        ['restore', report.manifest.id, '--target', target.url as string, '--repo', repo, '--yes', '--with-objects'],
        env,
      );
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.json).toMatchObject({ matches: true, objectsRestored: copied.length });
      expect(await bytesOf(images, lost)).toEqual(before);
      expect((await images.stat(lost))?.contentType).toBe('image/jpeg');
    } finally {
      await target.dispose();
    }
  });

  it('exits 2 without a repository, 4 with pg_dump older than the server or another backup running, 3 when PostgreSQL or MinIO is unreachable', async () => {
    const noRepo = await backupCli(['list'], env);
    expect(noRepo.code).toBe(2);
    expect(noRepo.stderr).toContain('--repo');

    const oldTools = `${folder.path}/old-bin`;
    await mkdir(oldTools);
    await writeFile(`${oldTools}/pg_dump`, '#!/bin/sh\necho "pg_dump (PostgreSQL) 13.16"\n');
    await chmod(`${oldTools}/pg_dump`, 0o755);
    const tooOld = await backupCli(['create', '--repo', repo, '--pg-bin-dir', oldTools], env);
    expect(tooOld.code).toBe(4);
    expect(tooOld.stderr).toContain('pg_dump 15 or newer is needed');
    expect(tooOld.stderr).toContain('13.16');

    const holder = new pg.Client({ connectionString: source.url });
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(${0x6c6973746261636bn}::bigint)`);
      const busy = await backupCli(['create', '--repo', repo], env);
      expect(busy.code).toBe(4);
      expect(busy.stderr).toContain('another backup of this database is running');
    } finally {
      await holder.end();
    }

    const unreachable = new URL(source.url as string);
    unreachable.port = '1';
    const down = await backupCli(['create', '--repo', repo], { ...env, SVETULISTINGS_DB_URL: unreachable.toString() });
    expect(down.code).toBe(3);

    const minioDown = await backupCli(['list', '--repo', 's3://listings-backups/x'], {
      ...env,
      SVETULISTINGS_MINIO_ENDPOINT: 'http://127.0.0.1:1',
    });
    expect(minioDown.code).toBe(3);

    const list = await backupCli(['list', '--repo', repo, '--metrics-file', `${folder.path}/backup.prom`], env);
    expect(list.code).toBe(0);
    const metrics = await readFile(`${folder.path}/backup.prom`, 'utf8');
    expect(metrics).toMatch(/^listings_backup_count\{repository="folder [^"]+"\} 1$/m);
    expect(metrics).toMatch(/^listings_backup_last_verify_timestamp_seconds\{[^}]+\} \d+(\.\d+)?$/m);
    expect(metrics).toMatch(/^listings_backup_newest_verified_age_seconds\{[^}]+\} \d+$/m);
  });
});
