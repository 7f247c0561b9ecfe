import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MinioObjectStore } from '../../../adapters/minio/minio-object-store.ts';
import { BackupFolder, newBackupId } from '../../../src/backup/backup-folder.ts';
import { type BackupManifest, serializeManifest } from '../../../src/backup/manifest.ts';
import { temporaryDirectory } from '../../support/databases.ts';
import { s3Settings } from '../../support/servers.ts';
import { removeBucket } from '../images/image-world.ts';
import { backupCli, folderRepository, minioEnv, type RepoKind, repoFor } from './backup-world.ts';

/** A small complete backup whose snapshot was taken at `createdAt`, written straight into the repository. */
async function plantBackup(folder: BackupFolder, createdAt: string, verified?: boolean): Promise<string> {
  const id = newBackupId(new Date(createdAt));
  const bytes = Buffer.from(`dump of ${createdAt}`);
  await folder.store.put(folder.dataKey(id, 'database.dump'), bytes, { contentType: 'application/octet-stream' });
  const manifest: BackupManifest = {
    manifestVersion: 1,
    id,
    createdAt,
    completedAt: createdAt,
    kind: 'postgres',
    format: 'custom',
    database: { name: 'listings', serverVersion: '15.10', schemaVersion: '20261125000010' },
    tool: 'pg_dump (PostgreSQL) 15.10',
    producer: 'listings test',
    tableRowCounts: { 'public.listings': 1 },
    files: [{ name: 'database.dump', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }],
    objects: null,
  };
  await folder.store.put(folder.manifestKey(id), Buffer.from(serializeManifest(manifest)), {
    contentType: 'application/json',
  });
  if (verified !== undefined) {
    await folder.writeVerifyRecord(id, {
      verifiedAt: createdAt,
      passed: verified,
      restored: false,
      failedStep: verified ? null : 2,
      message: verified ? 'passed' : 'step 2',
    });
  }
  return id;
}

async function keysOf(folder: BackupFolder): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of folder.store.list('', { recursive: true })) keys.push(object.key);
  return keys.sort();
}

/**
 * Grandfather-father-son pruning on given snapshot dates (the manifests carry them), with policy 2 daily /
 * 1 weekly / 2 monthly:
 *   A 11-25 10:00 newest, daily, weekly (2026-W48), monthly (2026-11)   kept
 *   B 11-25 02:00 same day as A                                         deleted
 *   C 11-24 02:00 daily                                                 kept
 *   D 11-23 02:00 third day                                             deleted
 *   E 11-20 02:00 an older week                                         deleted
 *   F 10-31 02:00 monthly (2026-10), verify failed                      kept
 *   G 10-15 02:00 the newest verified                                   kept
 *   H 09-30 02:00 a third month                                         deleted
 * plus an incomplete folder older than A (deleted), one newer (kept: may be running), a damaged manifest (kept)
 * and a foreign key beside the backups (never touched).
 */
describe.each<RepoKind>(['folder', 'minio'])('listings backup prune in a %s', { timeout: 180_000 }, (kind) => {
  let folder: Awaited<ReturnType<typeof temporaryDirectory>>;
  let repo: string;
  let bucket: string | undefined;
  let env: Record<string, string>;
  let backups: BackupFolder;
  const ids: Record<string, string> = {};
  const prune = (...extra: string[]) =>
    backupCli(
      ['prune', '--repo', repo, '--keep-daily', '2', '--keep-weekly', '1', '--keep-monthly', '2', ...extra],
      env,
    );

  beforeAll(async () => {
    folder = await temporaryDirectory('listings-backup-prune-');
    ({ repo, bucket } = repoFor(kind, `${folder.path}/repo`));
    env = { SVETULISTINGS_DATA_DIR: `${folder.path}/data`, ...(kind === 'minio' ? minioEnv() : {}) };
    if (kind === 'folder') backups = folderRepository(repo);
    else {
      const { endpoint, accessKey, secretKey } = s3Settings();
      const store = new MinioObjectStore({
        endpoint,
        accessKey,
        secretKey,
        useSsl: false,
        region: 'us-east-1',
        bucket: bucket as string,
      });
      await store.ensureReady();
      backups = new BackupFolder(store, 'nightly/');
    }
    ids.A = await plantBackup(backups, '2026-11-25T10:00:00.000Z');
    ids.B = await plantBackup(backups, '2026-11-25T02:00:00.000Z');
    ids.C = await plantBackup(backups, '2026-11-24T02:00:00.000Z');
    ids.D = await plantBackup(backups, '2026-11-23T02:00:00.000Z');
    ids.E = await plantBackup(backups, '2026-11-20T02:00:00.000Z');
    ids.F = await plantBackup(backups, '2026-10-31T02:00:00.000Z', false);
    ids.G = await plantBackup(backups, '2026-10-15T02:00:00.000Z', true);
    ids.H = await plantBackup(backups, '2026-09-30T02:00:00.000Z');
    ids.oldIncomplete = newBackupId(new Date('2026-11-01T02:00:00Z'));
    await backups.store.put(backups.dataKey(ids.oldIncomplete, 'database.dump'), Buffer.from('cut'), {
      contentType: 'application/octet-stream',
    });
    ids.running = newBackupId(new Date('2026-11-26T02:00:00Z'));
    await backups.store.put(backups.dataKey(ids.running, 'database.dump'), Buffer.from('partial'), {
      contentType: 'application/octet-stream',
    });
    ids.damaged = newBackupId(new Date('2026-08-01T02:00:00Z'));
    await backups.store.put(backups.manifestKey(ids.damaged), Buffer.from('{"not": "a manifest"}'), {
      contentType: 'application/json',
    });
    await backups.store.put(`${backups.prefix}README.txt`, Buffer.from('not a backup'), { contentType: 'text/plain' });
  });

  afterAll(async () => {
    await backups?.store.close();
    await folder?.remove();
    if (bucket) await removeBucket(bucket);
  });

  it('is a dry run without --yes: reports the GFS decision and deletes nothing', async () => {
    const before = await keysOf(backups);
    const result = await prune();
    expect(result.code, result.stderr).toBe(0);
    const report = result.json as {
      dryRun: boolean;
      deleted: { id: string }[];
      kept: { id: string; keptBecause: string[] }[];
    };
    expect(report.dryRun).toBe(true);
    expect(report.deleted.map((d) => d.id).sort()).toEqual([ids.B, ids.D, ids.E, ids.H, ids.oldIncomplete].sort());
    const because = Object.fromEntries(report.kept.map((k) => [k.id, k.keptBecause]));
    expect(because[ids.A as string]).toEqual(['daily 2026-11-25', 'weekly 2026-W48', 'monthly 2026-11', 'newest']);
    expect(because[ids.C as string]).toEqual(['daily 2026-11-24']);
    expect(because[ids.F as string]).toEqual(['monthly 2026-10']);
    expect(because[ids.G as string]).toEqual(['newest verified']);
    expect(Object.keys(because).sort()).toEqual([ids.A, ids.C, ids.F, ids.G, ids.running, ids.damaged].sort());
    expect(await keysOf(backups)).toEqual(before);
    expect((await prune('--dry-run', '--yes')).json).toMatchObject({ dryRun: true });
    expect(await keysOf(backups)).toEqual(before);
  });

  it('deletes exactly the others with --yes, leaving foreign keys alone', async () => {
    const result = await prune('--yes');
    expect(result.code, result.stderr).toBe(0);
    const remaining = new Set((await keysOf(backups)).map((key) => key.slice(backups.prefix.length).split('/')[0]));
    expect([...remaining].sort()).toEqual([ids.A, ids.C, ids.F, ids.G, ids.running, ids.damaged, 'README.txt'].sort());
    const again = await prune('--yes');
    expect((again.json as { deleted: unknown[] }).deleted).toEqual([]);
  });

  it('verify --all checks every complete backup and exits 1 when any fails (the original exited 0)', async () => {
    // The planted dumps are not pg_dump archives: steps 1 and 2 pass, step 3 fails, for each of the four complete
    // backups; the damaged manifest fails step 1.
    const result = await backupCli(['verify', '--all', '--repo', repo], env);
    expect(result.code).toBe(1);
    const reports = (result.json as { reports: { id: string; steps: { status: string }[] }[] }).reports;
    const statuses = Object.fromEntries(reports.map((r) => [r.id, r.steps.map((s) => s.status).join(' ')]));
    expect(statuses).toEqual({
      [ids.A as string]: 'passed passed failed',
      [ids.C as string]: 'passed passed failed',
      [ids.F as string]: 'passed passed failed',
      [ids.G as string]: 'passed passed failed',
      [ids.damaged as string]: 'failed skipped skipped',
    });
  });
});
