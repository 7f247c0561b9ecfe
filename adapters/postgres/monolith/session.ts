import pg from 'pg';
import { AppError } from '../../../src/domain/errors.ts';

/**
 * Session settings of both sides of a monolith migration (monolith.md §4.2), so that text forms of timestamps,
 * numerics and floats, and therefore hashes, do not depend on server or role defaults.
 */
export const STABLE_TEXT_SETTINGS = [
  "SET TimeZone = 'UTC'",
  "SET DateStyle = 'ISO, YMD'",
  'SET extra_float_digits = 3',
  "SET IntervalStyle = 'postgres'",
] as const;

/** Type OIDs that stay PostgreSQL's own text in Node: int8, numeric, timestamp, timestamptz, date, json, jsonb. */
const KEPT_AS_TEXT = new Set([20, 1700, 1114, 1184, 1082, 114, 3802]);

/**
 * Values that would lose something in a JavaScript type (precision, microseconds, zone, JSON key order and number
 * spelling) arrive as the text PostgreSQL printed (§3.0.5); integers, booleans and text take node-postgres's own
 * parsers. Set per client, never globally.
 */
const TEXT_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    format !== 'binary' && KEPT_AS_TEXT.has(oid)
      ? (text: string) => text
      : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** `postgres://user:password@host:port/db` → the same without the password, for messages. */
export function redactDsn(dsn: string): string {
  return dsn.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:<redacted>@');
}

/** Rejects a DSN that is not a postgres:// or postgresql:// URL (exit 2 before any connection is tried). */
export function checkDsn(flag: string, dsn: string): void {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    throw new AppError('USAGE_INVALID', `${flag} is not a URL: expected postgres://user:password@host:port/database`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new AppError('USAGE_INVALID', `${flag} must be a postgres:// URL, got ${url.protocol}//…`);
  }
}

/**
 * A connected client with lossless value parsers and the stable settings applied. The zone the server would have
 * used (`TimeZone` before our SET) is returned: naive source timestamps were written in it (§3.0.3).
 * Unreachable server or refused credentials → DEPENDENCY_UNAVAILABLE (exit 3).
 */
export async function connectTextClient(
  dsn: string,
  applicationName: string,
): Promise<{ client: pg.Client; serverZone: string }> {
  const client = new pg.Client({ connectionString: dsn, application_name: applicationName, types: TEXT_TYPES });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new AppError(
      'DEPENDENCY_UNAVAILABLE',
      `cannot reach PostgreSQL at ${redactDsn(dsn)}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  client.on('error', () => undefined);
  const zone = await client.query<{ zone: string }>("SELECT current_setting('TimeZone') AS zone");
  for (const statement of STABLE_TEXT_SETTINGS) await client.query(statement);
  return { client, serverZone: zone.rows[0]?.zone ?? 'UTC' };
}
