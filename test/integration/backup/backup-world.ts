import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { FsObjectStore } from '../../../adapters/fs-storage/fs-object-store.ts';
import { listTables } from '../../../adapters/postgres/backup-inspection.ts';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import { seed } from '../../../migrations/seeds/categories.ts';
import { BackupFolder } from '../../../src/backup/backup-folder.ts';
import { type CliResult, runCli } from '../../support/cli.ts';
import { s3Settings } from '../../support/servers.ts';

export type RepoKind = 'folder' | 'minio';

const WIDE_DESCRIPTION = `(SELECT string_agg(md5(g::text || i::text), '') FROM generate_series(1, 32) AS i)`;

/**
 * Schema, categories, `listings` listings, and image rows for the first five (keys in the upload layout). `wide`
 * gives each listing about 1 KiB of poorly compressible description, to make a large dump.
 */
export async function populate(knex: Knex, listings: number, wide = false): Promise<{ imageKeys: string[] }> {
  await new KnexSchemaMigrator(knex).latest();
  await seed(knex);
  const category = (await knex('c2c_categories').min('id as id').first()) as { id: number | string };
  await knex.raw(
    `INSERT INTO listings (user_id, title, description, price, category_id, status)
     SELECT 1 + g % 7, 'Listing number ' || g, ${wide ? WIDE_DESCRIPTION : "repeat('text ', g % 50)"}, 10 + g, ?, 'active'
     FROM generate_series(1, ?) AS g`,
    [category.id, listings],
  );
  const ids = (await knex('listings').select('id').orderBy('id')) as { id: number | string }[];
  const imageKeys: string[] = [];
  for (const { id } of ids.slice(0, 5)) {
    const key = `listings/${id}/${randomUUID()}/original.jpg`;
    imageKeys.push(key);
    await knex('listing_images').insert({ listing_id: id, url: `https://cdn.example/${key}`, storage_key: key });
  }
  return { imageKeys };
}

/** md5 of every table's rows in a stable order: equal checksums mean equal data. */
export async function dataChecksums(knex: Knex): Promise<Record<string, string>> {
  const query = async (sql: string) => (await knex.raw(sql)) as { rows: Record<string, unknown>[] };
  const sums: Record<string, string> = {};
  for (const table of await listTables(query)) {
    const { rows } = await query(
      `SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS sum FROM ${table.quoted} AS t`,
    );
    sums[table.key] = String(rows[0]?.sum);
  }
  return sums;
}

/** Where the CLI's backups go: a folder, or `s3://<fresh bucket>/nightly` on the test MinIO. */
export function repoFor(kind: RepoKind, folder: string): { repo: string; bucket?: string } {
  if (kind === 'folder') return { repo: folder };
  const bucket = `listings-backup-${randomUUID().slice(0, 8)}`;
  return { repo: `s3://${bucket}/nightly`, bucket };
}

export function minioEnv(): Record<string, string> {
  const { endpoint, accessKey, secretKey } = s3Settings();
  return {
    SVETULISTINGS_MINIO_ENDPOINT: endpoint,
    SVETULISTINGS_MINIO_ACCESS_KEY: accessKey,
    SVETULISTINGS_MINIO_SECRET_KEY: secretKey,
  };
}

/** `listings --json backup <args>` in a child process; `json` is stdout parsed when it is one document. */
export async function backupCli(
  args: readonly string[],
  env: Record<string, string>,
): Promise<CliResult & { json: Record<string, unknown> | undefined }> {
  const result = await runCli(['--json', 'backup', ...args], { env: { SVETULISTINGS_LOG_LEVEL: 'warn', ...env } });
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(result.stdout) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { ...result, json };
}

export interface StepJson {
  readonly step: number;
  readonly status: string;
  readonly details: string[];
}

/** The steps of the first verify report of a `backup verify --json` answer. */
export function stepsOf(json: Record<string, unknown> | undefined): StepJson[] {
  const reports = (json?.reports ?? []) as { steps: StepJson[] }[];
  return reports[0]?.steps ?? [];
}

/** The backup folder of a folder repository, to inspect or damage what the CLI wrote. */
export function folderRepository(path: string): BackupFolder {
  return new BackupFolder(new FsObjectStore({ root: path, signingSecret: 'backup-tests-signing-secret-32-bytes' }), '');
}

/** The bytes of an object. */
export async function readObject(folder: BackupFolder, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of (await folder.store.get(key)).body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function writeObject(folder: BackupFolder, key: string, bytes: Buffer): Promise<void> {
  await folder.store.put(key, bytes, { contentType: 'application/octet-stream' });
}
