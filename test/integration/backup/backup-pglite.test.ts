import { mkdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteKnex } from '../../../adapters/pglite/pglite-knex.ts';
import type { BackupManifest } from '../../../src/backup/manifest.ts';
import { temporaryDirectory } from '../../support/databases.ts';
import { backupCli, dataChecksums, populate, stepsOf } from './backup-world.ts';

/** The embedded default: a data-directory backup with the same manifest, verified and restored into a new folder. */
describe('listings backup on the embedded PGlite', { timeout: 240_000 }, () => {
  let folder: Awaited<ReturnType<typeof temporaryDirectory>>;
  let env: Record<string, string>;
  let repo: string;
  let sourceSums: Record<string, string>;

  beforeAll(async () => {
    folder = await temporaryDirectory('listings-backup-pglite-');
    await mkdir(`${folder.path}/data/pglite`, { recursive: true });
    const knex = await createPgliteKnex({ dataDir: `${folder.path}/data/pglite` });
    try {
      await populate(knex, 40);
      sourceSums = await dataChecksums(knex);
    } finally {
      await knex.destroy();
    }
    env = { SVETULISTINGS_DATA_DIR: `${folder.path}/data` };
    repo = `${folder.path}/repo`;
  });

  afterAll(async () => {
    await folder?.remove();
  });

  it('creates, verifies with a test restore, and restores into a new data directory with the same data', async () => {
    const directory = await backupCli(['create', '--repo', repo, '--format', 'directory'], env);
    expect(directory.code).toBe(2);
    const created = await backupCli(['create', '--repo', repo], env);
    expect(created.code, created.stderr).toBe(0);
    const manifest = (created.json as { manifest: BackupManifest }).manifest;
    expect(manifest).toMatchObject({ kind: 'pglite', format: 'pglite-datadir', objects: null });
    expect(manifest.tool).toMatch(/^@electric-sql\/pglite \d+\.\d+\.\d+$/);
    expect(manifest.tableRowCounts['public.listings']).toBe(40);
    expect(manifest.database.schemaVersion).toMatch(/^\d{14}$/);
    expect(manifest.files.map((f) => f.name)).toEqual(['pgdata.tar.gz']);

    const verified = await backupCli(['verify', '--restore', '--repo', repo], env);
    expect(verified.code, verified.stdout).toBe(0);
    expect(stepsOf(verified.json).map((s) => s.status)).toEqual(['passed', 'passed', 'passed', 'passed']);

    const into = `${folder.path}/restored`;
    const restored = await backupCli(['restore', manifest.id, '--target', into, '--repo', repo, '--yes'], env);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.json).toMatchObject({ matches: true, differences: [] });
    const knex = await createPgliteKnex({ dataDir: into });
    try {
      expect(await dataChecksums(knex)).toEqual(sourceSums);
    } finally {
      await knex.destroy();
    }

    // Into the configured data directory, or over a folder that is not a data directory: refused, even with --clean.
    const own = await backupCli(
      ['restore', manifest.id, '--target', `${folder.path}/data/pglite`, '--repo', repo, '--yes', '--clean'],
      env,
    );
    expect(own.code, own.stderr).toBe(2);
    const other = `${folder.path}/documents`;
    await mkdir(other);
    await writeFile(`${other}/thesis.txt`, 'keep me');
    const foreign = await backupCli(
      ['restore', manifest.id, '--target', other, '--repo', repo, '--yes', '--clean'],
      env,
    );
    expect(foreign.code).toBe(4);
    expect(foreign.stderr).toContain('not a PGlite data directory');
  });

  it('refuses (exit 4, naming the holder) while another process has the data directory open', async () => {
    // PGlite takes no lock of its own: two processes on one directory would each write pages the other never sees.
    const knex = await createPgliteKnex({ dataDir: `${folder.path}/data/pglite` });
    try {
      const refused = await backupCli(['create', '--repo', repo], env);
      expect(refused.code, refused.stderr).toBe(4);
      expect(refused.stderr).toContain(`is in use by pid ${process.pid}`);
    } finally {
      await knex.destroy();
    }
    const created = await backupCli(['create', '--repo', repo], env);
    expect(created.code, created.stderr).toBe(0);
  });

  it('fails step 3 on a tarball cut short even when the manifest agrees with it', async () => {
    const { createHash } = await import('node:crypto');
    const { folderRepository, readObject, writeObject } = await import('./backup-world.ts');
    const { serializeManifest } = await import('../../../src/backup/manifest.ts');
    const backups = folderRepository(repo);
    const [stored] = (await backups.list()).filter((b) => b.hasManifest);
    const id = stored?.id as string;
    const parsed = await backups.readManifest(id);
    if (parsed === undefined || !parsed.ok) throw new Error('the backup has no valid manifest');
    const key = backups.dataKey(id, 'pgdata.tar.gz');
    const cut = (await readObject(backups, key)).subarray(0, 4000);
    await writeObject(backups, key, cut);
    const sha256 = createHash('sha256').update(cut).digest('hex');
    const lying = { ...parsed.manifest, files: [{ name: 'pgdata.tar.gz', size: cut.length, sha256 }] };
    await writeObject(backups, backups.manifestKey(id), Buffer.from(serializeManifest(lying)));
    const result = await backupCli(['verify', id, '--repo', repo], env);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(
      stepsOf(result.json).map((s) => `${s.step} ${s.status}`),
      result.stdout + result.stderr,
    ).toEqual(['1 passed', '2 passed', '3 failed']);
  });
});
