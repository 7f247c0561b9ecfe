import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupFolder } from '../../../src/backup/backup-folder.ts';
import { type BackupManifest, serializeManifest } from '../../../src/backup/manifest.ts';
import { freshPostgres, type TestDatabase, temporaryDirectory } from '../../support/databases.ts';
import { backupCli, folderRepository, populate, readObject, stepsOf, writeObject } from './backup-world.ts';

/**
 * The verify ladder against damaged backups (§2.9): each damage fails at its step, later steps are skipped, the
 * exit code is 1, and the failure is recorded for `list`. Every case repairs what it damaged.
 */
describe.each(['custom', 'directory'] as const)(
  'listings backup verify of a %s-format backup',
  { timeout: 180_000 },
  (format) => {
    let source: TestDatabase;
    let folder: Awaited<ReturnType<typeof temporaryDirectory>>;
    let repo: string;
    let env: Record<string, string>;
    let backups: BackupFolder;
    let id: string;
    let manifest: BackupManifest;
    /** The largest data file: the archive (custom) or the biggest table file (directory). */
    let dataKey: string;

    const verify = async (...extra: string[]) => {
      const result = await backupCli(['verify', id, '--repo', repo, ...extra], env);
      return {
        ...result,
        steps: stepsOf(result.json).map((s) => `${s.step} ${s.status}`),
        details: stepsOf(result.json),
      };
    };

    beforeAll(async () => {
      source = await freshPostgres('listings_bk');
      await populate(source.knex, 400);
      folder = await temporaryDirectory('listings-backup-ladder-');
      repo = `${folder.path}/repo`;
      env = { SVETULISTINGS_DB_URL: source.url as string, SVETULISTINGS_DATA_DIR: `${folder.path}/data` };
      const created = await backupCli(['create', '--repo', repo, '--format', format, '--jobs', '2'], env);
      expect(created.code, created.stderr).toBe(0);
      manifest = (created.json as { manifest: BackupManifest }).manifest;
      id = manifest.id;
      backups = folderRepository(repo);
      const biggest = [...manifest.files].sort((a, b) => b.size - a.size)[0] as { name: string };
      dataKey = backups.dataKey(id, biggest.name);
    });

    afterAll(async () => {
      await source?.dispose();
      await folder?.remove();
    });

    it('passes every step of an intact backup, test restore included', async () => {
      if (format === 'directory') expect(manifest.files.map((f) => f.name)).toContain('database/toc.dat');
      const result = await verify('--restore');
      expect(result.code, result.stdout).toBe(0);
      expect(result.steps).toEqual(['1 passed', '2 passed', '3 passed', '4 passed']);
    });

    it('fails step 2 on a flipped byte, skips the rest, exits 1 and records the failure', async () => {
      const original = await readObject(backups, dataKey);
      const flipped = Buffer.from(original);
      const at = Math.floor(flipped.length / 2);
      flipped[at] = (flipped[at] as number) ^ 0x01;
      await writeObject(backups, dataKey, flipped);
      try {
        const result = await verify('--restore');
        expect(result.code).toBe(1);
        expect(result.steps).toEqual(['1 passed', '2 failed', '3 skipped', '4 skipped']);
        expect(result.details[1]?.details.join()).toContain('sha256 does not match');
        const listed = await backupCli(['list', '--repo', repo], env);
        const entry = (listed.json as { backups: { lastVerify: { passed: boolean } }[] }).backups[0];
        expect(entry?.lastVerify.passed).toBe(false);
      } finally {
        await writeObject(backups, dataKey, original);
      }
    });

    it('fails step 2 on a missing file', async () => {
      const original = await readObject(backups, dataKey);
      await backups.store.delete([dataKey]);
      try {
        const result = await verify();
        expect(result.code).toBe(1);
        expect(result.steps).toEqual(['1 passed', '2 failed', '3 skipped']);
        expect(result.details[1]?.details.join()).toContain('missing');
      } finally {
        await writeObject(backups, dataKey, original);
      }
    });

    it('fails step 2 on a truncated archive, and step 3 when the manifest was rewritten to match it', async () => {
      const original = await readObject(backups, dataKey);
      const truncated = original.subarray(0, Math.floor(original.length * 0.6));
      const manifestText = (await readObject(backups, backups.manifestKey(id))).toString();
      await writeObject(backups, dataKey, truncated);
      try {
        const bySize = await verify();
        expect(bySize.code).toBe(1);
        expect(bySize.steps).toEqual(['1 passed', '2 failed', '3 skipped']);

        // A manifest that agrees with the truncated bytes (as if the dump itself had been cut short): only reading
        // the archive can tell.
        const { createHash } = await import('node:crypto');
        const name = dataKey.slice(backups.dataKey(id, '').length);
        const lying: BackupManifest = {
          ...manifest,
          files: manifest.files.map((f) =>
            f.name === name
              ? { name, size: truncated.length, sha256: createHash('sha256').update(truncated).digest('hex') }
              : f,
          ),
        };
        await writeObject(backups, backups.manifestKey(id), Buffer.from(serializeManifest(lying)));
        const byContents = await verify();
        expect(byContents.code).toBe(1);
        expect(byContents.steps).toEqual(['1 passed', '2 passed', '3 failed']);
        expect(byContents.details[2]?.details.join()).toMatch(/pg_restore/);
      } finally {
        await writeObject(backups, dataKey, original);
        await writeObject(backups, backups.manifestKey(id), Buffer.from(manifestText));
      }
    });

    it('fails step 1 on an edited manifest, and on a backup that has none', async () => {
      const manifestText = (await readObject(backups, backups.manifestKey(id))).toString();
      const edited = manifestText.replace(/"public\.listings": \d+/, '"public.listings": 999999');
      expect(edited).not.toBe(manifestText);
      await writeObject(backups, backups.manifestKey(id), Buffer.from(edited));
      try {
        const result = await verify();
        expect(result.code).toBe(1);
        expect(result.steps).toEqual(['1 failed', '2 skipped', '3 skipped']);
        expect(result.details[0]?.details.join()).toContain('checksum');
      } finally {
        await writeObject(backups, backups.manifestKey(id), Buffer.from(manifestText));
      }
      const unknown = await backupCli(['verify', '20200101T000000Z-0000', '--repo', repo], env);
      expect(unknown.code).toBe(1);
      expect(stepsOf(unknown.json).map((s) => `${s.step} ${s.status}`)).toEqual(['1 failed', '2 skipped', '3 skipped']);
    });

    it('fails step 2 on a file the manifest does not list', async () => {
      const extra = backups.dataKey(id, 'planted.bin');
      await writeObject(backups, extra, Buffer.from('not part of the backup'));
      try {
        const result = await verify();
        expect(result.code).toBe(1);
        expect(result.details[1]?.details.join()).toContain('data/planted.bin: not in the manifest');
      } finally {
        await backups.store.delete([extra]);
      }
      const repaired = await verify();
      expect(repaired.code, repaired.stdout).toBe(0);
    });
  },
);
