import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';
import { freshPostgres, type TestDatabase } from '../../support/databases.ts';
import { MIGRATION_FILES } from '../../support/migration-files.ts';

// `listings migrate` as an operator runs it, on PostgreSQL 15, including the database a newer release migrated.
describe('listings migrate on PostgreSQL', () => {
  let db: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await freshPostgres('listings_migcli');
    env = { SVETULISTINGS_DB_URL: db.url as string };
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('status, latest, status; a newer release migrated: reported, latest a no-op, rollback refused (exit 4)', async () => {
    const empty = await runCli(['--json', 'migrate', 'status'], { env });
    expect(empty.code, empty.stderr).toBe(0);
    expect(JSON.parse(empty.stdout)).toMatchObject({ applied: [], pending: MIGRATION_FILES, unknown: [] });

    const latest = await runCli(['--json', 'migrate', 'latest'], { env });
    expect(latest.code, latest.stderr).toBe(0);
    expect(JSON.parse(latest.stdout).names).toEqual(MIGRATION_FILES);

    const newer = '29991231000000_from_a_newer_release.ts';
    await db.knex('knex_migrations').insert({ name: newer, batch: 2, migration_time: new Date() });
    const status = await runCli(['migrate', 'status'], { env });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('newer:    1 applied by a newer release (no file here)');
    expect(status.stdout).toContain(`  - ${newer}`);
    const again = await runCli(['--json', 'migrate', 'latest'], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ names: [], batch: 0 });
    const rollback = await runCli(['--yes', 'migrate', 'rollback'], { env });
    expect(rollback.code).toBe(4);
    expect(rollback.stderr).toContain('migrated by a newer release');
    expect(await db.knex('knex_migrations').count({ n: '*' })).toEqual([{ n: MIGRATION_FILES.length + 1 }]);
  });
});
