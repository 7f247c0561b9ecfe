import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KnexSchemaMigrator, MIGRATIONS_DIRECTORY } from '../../../adapters/sql/knex-schema-migrator.ts';

// `make` writes a file and never touches the database: a knex without a connection is enough.
describe('KnexSchemaMigrator.make', () => {
  let directory: string;
  const db = knex({ client: 'pg' });
  const clock = () => new Date('2027-03-04T05:06:07.890Z');

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'listings-make-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('names the file with the UTC time and writes a TypeScript up/down skeleton', async () => {
    const file = await new KnexSchemaMigrator(db, { directory, now: clock }).make('add_brand');
    expect(file).toBe(join(directory, '20270304050607_add_brand.ts'));
    const text = await readFile(file, 'utf8');
    expect(text).toContain(`import type { Knex } from 'knex';`);
    expect(text).toMatch(/export async function up\(knex: Knex\)/);
    expect(text).toMatch(/export async function down\(knex: Knex\)/);
  });

  it('sorts after the newest migration even when the clock is behind it', async () => {
    await writeFile(join(directory, '20301231235959_future.ts'), '');
    const file = await new KnexSchemaMigrator(db, { directory, now: clock }).make('later');
    expect(file).toBe(join(directory, '20301231235960_later.ts'));
    expect((await readdir(directory)).sort().at(-1)).toBe('20301231235960_later.ts');
  });

  it('refuses names that are not snake_case', async () => {
    await expect(new KnexSchemaMigrator(db, { directory }).make('Bad Name')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(await readdir(directory)).toEqual([]);
  });

  it('points at the repository migrations by default, whose files all follow the naming rule', async () => {
    const files = (await readdir(MIGRATIONS_DIRECTORY)).filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const file of files) expect(file).toMatch(/^\d{14}_[a-z0-9_]+\.ts$/);
  });
});
