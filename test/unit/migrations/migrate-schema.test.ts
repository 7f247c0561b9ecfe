import { describe, expect, it } from 'vitest';
import type { MigrationRun, SchemaMigrator, SchemaStatus } from '../../../ports/schema-migrator.ts';
import { MigrateSchema } from '../../../src/migrate-schema.ts';

const at = new Date('2026-11-25T00:00:00Z');

/** A SchemaMigrator that records calls and answers from a fixed status. */
class RecordingMigrator implements SchemaMigrator {
  readonly calls: string[] = [];
  readonly current: SchemaStatus;
  readonly run: MigrationRun;
  constructor(current: SchemaStatus, run: MigrationRun = { batch: 0, names: [] }) {
    this.current = current;
    this.run = run;
  }
  async status() {
    this.calls.push('status');
    return this.current;
  }
  async latest() {
    this.calls.push('latest');
    return this.run;
  }
  async rollback(options?: { all?: boolean }) {
    this.calls.push(`rollback all=${options?.all}`);
    return this.run;
  }
  async make(name: string) {
    this.calls.push(`make ${name}`);
    return `/migrations/20261125120000_${name}.ts`;
  }
}

const status: SchemaStatus = {
  applied: [
    { name: '001_a.ts', batch: 1, appliedAt: at },
    { name: '002_b.ts', batch: 2, appliedAt: at },
    { name: '003_c.ts', batch: 2, appliedAt: at },
  ],
  pending: ['004_d.ts'],
  unknown: [],
  currentVersion: '003',
};

describe('MigrateSchema', () => {
  it('a dry-run latest lists the pending migrations and changes nothing', async () => {
    const migrator = new RecordingMigrator(status);
    expect(await new MigrateSchema(migrator).latest({ dryRun: true })).toEqual({
      dryRun: true,
      names: ['004_d.ts'],
      batch: 0,
      currentVersion: '003',
    });
    expect(migrator.calls).toEqual(['status']);
  });

  it('a dry-run rollback lists the last batch, newest first, or everything with all', async () => {
    const useCase = new MigrateSchema(new RecordingMigrator(status));
    expect((await useCase.rollback({ dryRun: true })).names).toEqual(['003_c.ts', '002_b.ts']);
    expect((await useCase.rollback({ dryRun: true, all: true })).names).toEqual(['003_c.ts', '002_b.ts', '001_a.ts']);
  });

  it('a real run reports what the migrator did and the version after it', async () => {
    const migrator = new RecordingMigrator(status, { batch: 3, names: ['004_d.ts'] });
    expect(await new MigrateSchema(migrator).latest()).toEqual({
      dryRun: false,
      names: ['004_d.ts'],
      batch: 3,
      currentVersion: '003',
    });
    await new MigrateSchema(migrator).rollback({ all: true });
    expect(migrator.calls).toEqual(['latest', 'status', 'rollback all=true', 'status']);
  });

  it('make accepts snake_case names only', async () => {
    const migrator = new RecordingMigrator(status);
    const useCase = new MigrateSchema(migrator);
    expect(await useCase.make('add_listing_brand')).toBe('/migrations/20261125120000_add_listing_brand.ts');
    for (const bad of ['', 'AddBrand', '1st', 'with-dash', '../escape', 'x'.repeat(101)]) {
      await expect(useCase.make(bad)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        violations: [{ field: 'name', reason: 'invalid_format' }],
      });
    }
    expect(migrator.calls).toEqual(['make add_listing_brand']);
  });
});
