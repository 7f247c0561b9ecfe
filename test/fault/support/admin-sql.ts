import pg from 'pg';
import { postgresUrl } from '../../support/servers.ts';

/**
 * One statement on its own short-lived connection: the test's own pooled connections would be killed with the
 * service's when a test terminates every backend of a database.
 */
export async function adminQuery<Row extends Record<string, unknown>>(
  sql: string,
  values: unknown[] = [],
  databaseUrl = postgresUrl(),
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<Row>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** The name of the database a URL points at. */
export function databaseName(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
}

/** Terminates every backend connected to the database (the service's pool); returns how many there were. */
export async function terminateBackends(database: string): Promise<number> {
  const rows = await adminQuery<{ terminated: boolean }>(
    `SELECT pg_terminate_backend(pid) AS terminated
       FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [database],
  );
  return rows.filter((row) => row.terminated).length;
}

/** Refuses (false) or allows again (true) new connections to the database. */
export async function allowConnections(database: string, allowed: boolean): Promise<void> {
  await adminQuery(`ALTER DATABASE "${database.replaceAll('"', '""')}" ALLOW_CONNECTIONS ${allowed}`);
}
