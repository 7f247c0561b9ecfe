import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import { buildMonolithVerification } from '../../../adapters/composition/monolith-verification.ts';
import { createPostgresKnex } from '../../../adapters/postgres/postgres-knex.ts';
import type { Difference } from '../../../src/monolith-migration/verify/differences.ts';
import type { VerifyRequest } from '../../../src/monolith-migration/verify/verify-migration.ts';
import type { VerifyReport } from '../../../src/monolith-migration/verify/verify-report.ts';
import { postgresUrl } from '../../support/servers.ts';

/** Runs verify in this process, as the CLI composes it. */
export async function verify(
  source: string,
  target: string,
  request: Partial<VerifyRequest> = {},
): Promise<VerifyReport> {
  const verification = await buildMonolithVerification({ source, target });
  try {
    return await verification.verify.execute({ runId: null, sampleSize: 1000, seed: 1, batchSize: 100, ...request });
  } finally {
    await verification.close();
  }
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface ClonedDatabase {
  readonly url: string;
  readonly knex: Knex;
  dispose(): Promise<void>;
}

/**
 * A copy of a database (CREATE DATABASE … TEMPLATE): each hand-made difference gets a pristine migrated target.
 * The template must have no open connection.
 */
export async function cloneDatabase(templateUrl: string): Promise<ClonedDatabase> {
  const template = new URL(templateUrl).pathname.slice(1);
  const name = `monolith_verify_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = new URL(templateUrl);
  url.pathname = `/${name}`;
  const knex = createPostgresKnex({ url: url.toString(), poolMax: 2 });
  return {
    url: url.toString(),
    knex,
    async dispose() {
      await knex.destroy();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** The listed differences of one layer, as `table id field` strings (easy to read in a failed expectation). */
export function named(report: VerifyReport, layer: Difference['layer']): string[] {
  return report.differences.filter((d) => d.layer === layer).map((d) => `${d.table} ${d.id} ${d.field}`);
}
