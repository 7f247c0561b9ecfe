import { PGlite } from '@electric-sql/pglite';
import { cube } from '@electric-sql/pglite/contrib/cube';
import { earthdistance } from '@electric-sql/pglite/contrib/earthdistance';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { uuid_ossp } from '@electric-sql/pglite/contrib/uuid_ossp';
import knex, { type Knex } from 'knex';
import { VALUE_PARSERS } from '../sql/value-parsers.ts';
import { DataDirLock } from './data-dir-lock.ts';
import { PgliteKnexClient } from './pglite-knex-client.ts';

/** Where the embedded database keeps its files. */
export interface PgliteSettings {
  /**
   * A directory (created if missing; kept across restarts) or `memory://` for a throw-away database.
   * Only one process may open a directory at a time. Default `memory://`.
   */
  readonly dataDir?: string;
  /** How long a query waits for the single session while another statement or transaction holds it, in ms. Default 60 000. */
  readonly acquireTimeoutMs?: number;
}

/** The contrib extensions the schema creates (migrations/20261125000001). PGlite only knows those loaded here. */
export const PGLITE_EXTENSIONS = { uuid_ossp, cube, earthdistance, pg_trgm };

/** Opens PGlite with the schema's extensions and the shared value parsers (adapters/sql/value-parsers.ts). */
export async function openPglite(settings: PgliteSettings = {}): Promise<PGlite> {
  return PGlite.create(settings.dataDir ?? 'memory://', {
    extensions: PGLITE_EXTENSIONS,
    parsers: VALUE_PARSERS,
  });
}

/**
 * A knex on an embedded PGlite (PostgreSQL compiled to WebAssembly, in this process). The session runs with
 * `TimeZone=UTC` like PostgreSQL connections do. `await db.destroy()` closes the database and flushes it to
 * `dataDir` and releases its lock (one process at a time on a directory: data-dir-lock.ts). `statement_timeout` is not offered: PGlite runs in this thread and cannot interrupt itself.
 */
export async function createPgliteKnex(settings: PgliteSettings = {}): Promise<Knex> {
  const dataDir = settings.dataDir ?? 'memory://';
  const lock = dataDir.startsWith('memory://') ? undefined : await DataDirLock.acquire(dataDir);
  try {
    const pglite = await openPglite(settings);
    await pglite.exec(`SET TimeZone = 'UTC'`);
    return knex({
      client: PgliteKnexClient as unknown as typeof Knex.Client,
      pglite,
      onClose: () => lock?.release(),
      acquireConnectionTimeout: settings.acquireTimeoutMs ?? 60_000,
    } as Knex.Config);
  } catch (error) {
    await lock?.release();
    throw error;
  }
}
