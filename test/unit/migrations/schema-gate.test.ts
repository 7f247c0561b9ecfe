import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../adapters/composition/database.ts';
import { ensureSchema } from '../../../adapters/composition/schema-gate.ts';
import type { SchemaMigrator, SchemaStatus } from '../../../ports/schema-migrator.ts';

const applied = [{ name: '20261125000001_a.ts', batch: 1, appliedAt: new Date('2026-11-25T00:00:00Z') }];

/** A PostgreSQL database whose migrator answers `status` and counts `latest` calls. */
function databaseWith(status: SchemaStatus): { database: Database; latestCalls: () => number } {
  let latest = 0;
  const migrator: SchemaMigrator = {
    status: async () => status,
    latest: async () => {
      latest += 1;
      return { batch: 2, names: [...status.pending] };
    },
    rollback: async () => ({ batch: 0, names: [] }),
    make: async () => '',
  };
  return { database: { driver: 'postgres', migrator } as unknown as Database, latestCalls: () => latest };
}

function recordingLogger(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  return { logger, lines: () => lines.map((line) => JSON.parse(line)) };
}

describe('the schema gate of `listings serve` and the worker', () => {
  it('refuses a schema older than the code unless asked to migrate, then migrates', async () => {
    const status = { applied, pending: ['20261126000000_b.ts'], unknown: [], currentVersion: '20261125000001' };
    const refused = databaseWith(status);
    const { logger } = recordingLogger();
    await expect(ensureSchema(refused.database, { autoMigrate: false, logger })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('1 pending migration(s)'),
    });
    expect(refused.latestCalls()).toBe(0);

    const migrated = databaseWith(status);
    await ensureSchema(migrated.database, { autoMigrate: true, logger });
    expect(migrated.latestCalls()).toBe(1);
  });

  it('serves on a schema a newer release migrated (a rolling deploy), with a warning naming its migrations', async () => {
    const newer = '29991231000000_from_a_newer_release.ts';
    const { database, latestCalls } = databaseWith({
      applied: [...applied, { name: newer, batch: 2, appliedAt: new Date() }],
      pending: [],
      unknown: [newer],
      currentVersion: '29991231000000',
    });
    const { logger, lines } = recordingLogger();
    await ensureSchema(database, { autoMigrate: false, logger });
    expect(latestCalls()).toBe(0);
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 40,
        unknown: [newer],
        msg: 'the database schema is newer than this release; serving on it',
      }),
    ]);
  });
});
