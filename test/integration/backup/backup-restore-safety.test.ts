import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTables } from '../../../adapters/postgres/backup-inspection.ts';
import type { BackupManifest } from '../../../src/backup/manifest.ts';
import { freshPostgres, type TestDatabase, temporaryDirectory } from '../../support/databases.ts';
import { backupCli, dataChecksums, folderRepository, populate, readObject, writeObject } from './backup-world.ts';

async function tableCount(db: TestDatabase): Promise<number> {
  return (await listTables(async (sql) => (await db.knex.raw(sql)) as { rows: Record<string, unknown>[] })).length;
}

/** Restore's guards (§2.9) and the dry runs of create and restore: they refuse or report, and write nothing. */
describe('listings backup restore safety and dry runs', { timeout: 180_000 }, () => {
  let source: TestDatabase;
  let folder: Awaited<ReturnType<typeof temporaryDirectory>>;
  let repo: string;
  let env: Record<string, string>;
  let manifest: BackupManifest;
  let target: TestDatabase;

  beforeAll(async () => {
    source = await freshPostgres('listings_bk');
    await populate(source.knex, 60);
    folder = await temporaryDirectory('listings-backup-safety-');
    repo = `${folder.path}/repo`;
    env = { SVETULISTINGS_DB_URL: source.url as string, SVETULISTINGS_DATA_DIR: `${folder.path}/data` };
    const created = await backupCli(['create', '--repo', repo], env);
    expect(created.code, created.stderr).toBe(0);
    manifest = (created.json as { manifest: BackupManifest }).manifest;
    target = await freshPostgres('listings_bk_target');
  });

  afterAll(async () => {
    await target?.dispose();
    await source?.dispose();
    await folder?.remove();
  });

  it('create --dry-run describes the source and writes nothing', async () => {
    const empty = `${folder.path}/dry-repo`;
    const result = await backupCli(['create', '--repo', empty, '--dry-run'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toMatchObject({
      dryRun: true,
      source: { kind: 'postgres', tool: expect.stringContaining('pg_dump') },
    });
    await expect(readdir(empty)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses without --yes when no terminal can ask, and restores nothing', async () => {
    const result = await backupCli(['restore', manifest.id, '--target', target.url as string, '--repo', repo], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pass --yes');
    expect(await tableCount(target)).toBe(0);
  });

  it('restore --dry-run runs the checks, reports the plan and writes nothing', async () => {
    const args = ['restore', manifest.id, '--target', target.url as string, '--repo', repo, '--dry-run'];
    const result = await backupCli(args, env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toMatchObject({ dryRun: true, targetTables: 0, target: expect.stringContaining('<redacted>') });
    expect(await tableCount(target)).toBe(0);
    // Not even the verify record: a dry run leaves the repository as it was.
    expect(await folderRepository(repo).readVerifyRecord(manifest.id)).toBeUndefined();
  });

  it('refuses a backup that fails its checksums before touching the target', async () => {
    const backups = folderRepository(repo);
    const key = backups.dataKey(manifest.id, 'database.dump');
    const original = await readObject(backups, key);
    const flipped = Buffer.from(original);
    flipped[100] = (flipped[100] as number) ^ 0xff;
    await writeObject(backups, key, flipped);
    try {
      const args = ['restore', manifest.id, '--target', target.url as string, '--repo', repo, '--yes'];
      const result = await backupCli(args, env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('failed its checks, nothing restored');
      expect(await tableCount(target)).toBe(0);
    } finally {
      await writeObject(backups, key, original);
    }
  });

  it('restores into an empty database, then refuses it as non-empty unless --clean', async () => {
    const args = ['restore', manifest.id, '--target', target.url as string, '--repo', repo, '--yes'];
    const first = await backupCli(args, env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json).toMatchObject({ matches: true });

    await target.knex('listings').where('id', '<', 10).delete();
    const again = await backupCli(args, env);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('--clean');

    const clean = await backupCli([...args, '--clean'], env);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.json).toMatchObject({ matches: true, differences: [] });
    expect(await dataChecksums(target.knex)).toEqual(await dataChecksums(source.knex));
  });

  it('reports a difference (exit 1) when the target keeps tables the backup does not have', async () => {
    await target.knex.raw('CREATE TABLE operator_notes (id int)');
    const args = ['restore', manifest.id, '--target', target.url as string, '--repo', repo, '--yes', '--clean'];
    const result = await backupCli(args, env);
    expect(result.code).toBe(1);
    expect(result.json).toMatchObject({ matches: false, differences: ['public.operator_notes: not in the manifest'] });
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });
});
