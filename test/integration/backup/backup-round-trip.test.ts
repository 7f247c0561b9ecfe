import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres, type TestDatabase, temporaryDirectory } from '../../support/databases.ts';
import { removeBucket } from '../images/image-world.ts';
import { backupCli, dataChecksums, minioEnv, populate, type RepoKind, repoFor, stepsOf } from './backup-world.ts';

/**
 * create → verify (every step, with a test restore) → restore into another database, on the real PostgreSQL 15,
 * into a folder and into MinIO: the restored database has the manifest's row counts and the source's data.
 */
describe.each<RepoKind>(['folder', 'minio'])('listings backup round trip into a %s', { timeout: 180_000 }, (kind) => {
  let source: TestDatabase;
  let folder: Awaited<ReturnType<typeof temporaryDirectory>>;
  let repo: string;
  let bucket: string | undefined;
  let env: Record<string, string>;
  let sourceSums: Record<string, string>;

  beforeAll(async () => {
    source = await freshPostgres('listings_bk');
    await populate(source.knex, 120);
    sourceSums = await dataChecksums(source.knex);
    folder = await temporaryDirectory('listings-backup-');
    ({ repo, bucket } = repoFor(kind, `${folder.path}/repo`));
    env = {
      SVETULISTINGS_DB_URL: source.url as string,
      SVETULISTINGS_DATA_DIR: `${folder.path}/data`,
      ...(kind === 'minio' ? minioEnv() : {}),
    };
  });

  afterAll(async () => {
    await source?.dispose();
    await folder?.remove();
    if (bucket) await removeBucket(bucket);
  });

  it('creates, verifies with a test restore, and restores into another database with the same data', async () => {
    const created = await backupCli(['create', '--repo', repo], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const manifest = (created.json as { manifest: Record<string, unknown> }).manifest as {
      id: string;
      kind: string;
      format: string;
      tableRowCounts: Record<string, number>;
      files: { name: string; size: number; sha256: string }[];
      database: { schemaVersion: string; serverVersion: string };
      tool: string;
    };
    expect(manifest.kind).toBe('postgres');
    expect(manifest.format).toBe('custom');
    expect(manifest.tableRowCounts['public.listings']).toBe(120);
    expect(manifest.tableRowCounts['public.listing_images']).toBe(5);
    expect(manifest.database.schemaVersion).toMatch(/^\d{14}$/);
    expect(manifest.database.serverVersion).toMatch(/^15\./);
    expect(manifest.tool).toContain('pg_dump (PostgreSQL) 15');
    expect(manifest.files).toEqual([{ name: 'database.dump', size: expect.any(Number), sha256: expect.any(String) }]);

    const verified = await backupCli(['verify', manifest.id, '--restore', '--repo', repo], env);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(stepsOf(verified.json).map((s) => [s.step, s.status])).toEqual([
      [1, 'passed'],
      [2, 'passed'],
      [3, 'passed'],
      [4, 'passed'],
    ]);

    const target = await freshPostgres('listings_bk_target');
    try {
      const restored = await backupCli(
        ['restore', manifest.id, '--target', target.url as string, '--repo', repo, '--yes'],
        env,
      );
      expect(restored.code, restored.stdout + restored.stderr).toBe(0);
      expect(restored.json).toMatchObject({ dryRun: false, matches: true, differences: [] });
      expect((restored.json as { tableRowCounts: unknown }).tableRowCounts).toEqual(manifest.tableRowCounts);
      expect(await dataChecksums(target.knex)).toEqual(sourceSums);
    } finally {
      await target.dispose();
    }

    const listed = await backupCli(['list', '--repo', repo], env);
    expect(listed.code).toBe(0);
    const backups = (listed.json as { backups: Record<string, unknown>[] }).backups;
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({
      id: manifest.id,
      state: 'complete',
      type: 'postgres/custom',
      lastVerify: { passed: true, restored: true },
    });
  });
});
