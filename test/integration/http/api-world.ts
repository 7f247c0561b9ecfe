import type { FastifyBaseLogger, FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { createTokenVerifier } from '../../../adapters/auth/create-token-verifier.ts';
import { buildCoreUseCases } from '../../../adapters/composition/core-use-cases.ts';
import { buildHttpApp } from '../../../adapters/http/app.ts';
import { HealthProbe } from '../../../adapters/http/health-probe.ts';
import { apiRoutes } from '../../../adapters/http/routes/api.ts';
import type { ApiUseCases } from '../../../adapters/http/routes/use-cases.ts';
import { MemoryCache } from '../../../adapters/memory/cache/memory-cache.ts';
import { PgSearchIndex } from '../../../adapters/pgsearch/pg-search-index.ts';
import { KnexSchemaMigrator } from '../../../adapters/sql/knex-schema-migrator.ts';
import { createPlainRepositories } from '../../../adapters/sql/sql-repositories.ts';
import { seed } from '../../../migrations/seeds/categories.ts';
import { NO_METRICS } from '../../../ports/core-metrics.ts';
import type { SearchIndex } from '../../../ports/search-index.ts';
import { cacheInvalidatingIndex } from '../../../src/search/cache-invalidating-index.ts';
import { buildSearchDocument } from '../../../src/search/search-document.ts';
import { freshPostgres, type TestDatabase } from '../../support/databases.ts';
import { signToken, TEST_SECRET } from '../../unit/auth/tokens.ts';

/**
 * Every use case the REST API drives, built by the composition root's builder on `knex`, with an in-process cache.
 * Search documents written by the world go through `cache` too (see ApiWorld.indexListing), as the worker's do.
 */
export function buildUseCases(
  knex: Knex,
  cache: MemoryCache = new MemoryCache(),
  searchIndex: SearchIndex = new PgSearchIndex({ knex }),
): ApiUseCases {
  return buildCoreUseCases({ knex, cache, metrics: NO_METRICS, searchIndex });
}

export interface ApiWorldOptions {
  /** What searches read, built on the world's database (default: PostgreSQL full text, which indexListing writes). */
  readonly searchIndex?: (knex: Knex) => Promise<SearchIndex>;
}

/** Callers by role, each with a signed HS256 bearer token. */
export interface Callers {
  /** User 7: owns what the tests create. */
  readonly owner: string;
  /** User 8: owns nothing of it. */
  readonly stranger: string;
  /** User 1 with the `admin` role. */
  readonly admin: string;
  /** The `orders` service. */
  readonly service: string;
}

export const OWNER_ID = 7;
export const STRANGER_ID = 8;

/**
 * The whole HTTP app (`buildHttpApp` with `apiRoutes`) on a fresh PostgreSQL 15 database with the migrations and
 * seed categories, authenticated by `createTokenVerifier` with an HS256 secret. Nothing is mocked.
 */
export class ApiWorld {
  readonly db: TestDatabase;
  readonly app: FastifyInstance;
  readonly tokens: Callers;
  readonly categories: Readonly<Record<string, number>>;
  readonly cache: MemoryCache;

  constructor(
    db: TestDatabase,
    app: FastifyInstance,
    tokens: Callers,
    categories: Record<string, number>,
    cache: MemoryCache,
  ) {
    this.cache = cache;
    this.db = db;
    this.app = app;
    this.tokens = tokens;
    this.categories = categories;
  }

  get knex(): Knex {
    return this.db.knex;
  }

  /** `inject` with an optional bearer token of `as`. */
  request(options: InjectOptions & { as?: keyof Callers | undefined }): Promise<LightMyRequestResponse> {
    const { as, headers, ...rest } = options;
    const auth = as === undefined ? {} : { authorization: `Bearer ${this.tokens[as]}` };
    return this.app.inject({ ...rest, headers: { ...headers, ...auth } });
  }

  /** A valid create body of a C2C listing in `bicycles`. */
  listingBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      title: 'Mountain bike',
      description: 'Barely used',
      price: 199.99,
      currency: 'RSD',
      category_id: this.categories.bicycles,
      quantity: 1,
      ...overrides,
    };
  }

  /** Creates a listing as `as` (owner by default) through the API and returns its JSON. */
  async newListing(overrides: Record<string, unknown> = {}, as: keyof Callers = 'owner') {
    const response = await this.request({
      method: 'POST',
      url: '/api/v1/listings',
      as,
      payload: this.listingBody(overrides),
    });
    if (response.statusCode !== 201) throw new Error(`create failed: ${response.statusCode} ${response.body}`);
    return response.json() as { id: number; version: number; [key: string]: unknown };
  }

  /** A listing of the owner, published (active). */
  async newActiveListing(overrides: Record<string, unknown> = {}) {
    const listing = await this.newListing(overrides);
    const response = await this.request({ method: 'POST', url: `/api/v1/listings/${listing.id}/publish`, as: 'owner' });
    if (response.statusCode !== 200) throw new Error(`publish failed: ${response.body}`);
    return response.json() as { id: number; version: number; [key: string]: unknown };
  }

  /** A storefront row of `userId` (the service only reads storefronts); returns its id. */
  async addStorefront(userId = OWNER_ID, columns: Record<string, unknown> = {}): Promise<number> {
    const slug = (columns.slug as string | undefined) ?? `shop-${userId}-${Math.random().toString(36).slice(2, 10)}`;
    const [row] = await this.knex('storefronts')
      .insert({ user_id: userId, slug, name: `Shop ${slug}`, ...columns })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  }

  /** Writes the listing's current search document (as the indexing worker would), or removes it. */
  async indexListing(id: number): Promise<void> {
    const index = cacheInvalidatingIndex(new PgSearchIndex({ knex: this.knex }), this.cache);
    const listing = await createPlainRepositories(this.knex).listings.findById(id);
    const document = listing === null ? null : buildSearchDocument(listing);
    if (document !== null) await index.upsert([document]);
    else await index.remove([{ id, version: (listing?.version ?? 0) + 1 }]);
  }

  async count(table: string, where: Record<string, unknown> = {}): Promise<number> {
    const [row] = await this.knex(table).where(where).count<{ count: string | number }[]>({ count: '*' });
    return Number(row?.count ?? 0);
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.db.dispose();
  }
}

/** Opens a fresh migrated and seeded PostgreSQL database and builds the app on it. */
export async function openApiWorld(options: ApiWorldOptions = {}): Promise<ApiWorld> {
  const db = await freshPostgres('listings_http');
  try {
    await new KnexSchemaMigrator(db.knex).latest();
    await seed(db.knex);
    const rows = await db.knex('c2c_categories').select('id', 'slug');
    const categories = Object.fromEntries(rows.map((row) => [row.slug as string, Number(row.id)]));
    const verifier = await createTokenVerifier({ jwtSecret: TEST_SECRET });
    const cache = new MemoryCache();
    const app = await buildHttpApp({
      logger: pino({ level: 'silent' }) as unknown as FastifyBaseLogger,
      version: '9.9.9',
      probe: new HealthProbe([], { timeoutMs: 100, cacheMs: 0 }),
      bodyLimitBytes: 1024 * 1024,
      requestTimeoutMs: 30_000,
      isAccepting: () => true,
      auth: { verifier },
      plugins: [apiRoutes(buildUseCases(db.knex, cache, await options.searchIndex?.(db.knex)))],
    });
    await app.ready();
    const tokens: Callers = {
      owner: await signToken({ sub: String(OWNER_ID) }),
      stranger: await signToken({ sub: String(STRANGER_ID) }),
      admin: await signToken({ sub: '1', roles: ['admin'] }),
      service: await signToken({ sub: 'orders', roles: ['service'] }),
    };
    return new ApiWorld(db, app, tokens, categories, cache);
  } catch (error) {
    await db.dispose();
    throw error;
  }
}
