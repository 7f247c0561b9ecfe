/**
 * A real gRPC server on 127.0.0.1:<free port> with the real handlers, the real use cases and SQL adapters on a
 * fresh PostgreSQL 15 database (migrated, categories seeded), the real HS256 token verifier, and typed clients
 * that present signed tokens. Nothing but the cache (in-process) is a stand-in.
 */
import { SignJWT } from 'jose';
import type { Knex } from 'knex';
import { expect } from 'vitest';
import { createTokenVerifier } from '../../../../adapters/auth/create-token-verifier.ts';
import {
  type CallOptions,
  createListingsClient,
  type ListingsClient,
  ListingsClientError,
} from '../../../../adapters/grpc/client/index.ts';
import { buildHandlers } from '../../../../adapters/grpc/handlers/index.ts';
import { createGrpcServer, type GrpcServer } from '../../../../adapters/grpc/server.ts';
import { KnexSchemaMigrator } from '../../../../adapters/sql/knex-schema-migrator.ts';
import { seed } from '../../../../migrations/seeds/categories.ts';
import type { SearchIndex } from '../../../../ports/search-index.ts';
import { freshPostgres, type TestDatabase } from '../../../support/databases.ts';
import { buildBackend, type TestBackend } from './use-cases.ts';

const SECRET = 'grpc-integration-secret-at-least-32-bytes';

/** Who calls: a token's subject and roles, or nobody (no token at all). */
export type Caller = { readonly sub: string; readonly roles?: readonly string[] } | 'anonymous';

export const OWNER: Caller = { sub: '7' };
export const STRANGER: Caller = { sub: '8' };
export const ADMIN: Caller = { sub: '1', roles: ['admin'] };
export const SERVICE: Caller = { sub: 'orders-service', roles: ['service'] };
export const ANONYMOUS: Caller = 'anonymous';

async function signToken(caller: Exclude<Caller, 'anonymous'>): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: [...(caller.roles ?? [])] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(caller.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(SECRET));
}

const silent = { info() {}, warn() {}, error() {} };

export class GrpcWorld {
  readonly db: TestDatabase;
  readonly knex: Knex;
  readonly server: GrpcServer;
  readonly address: string;
  /** Seed category ids by slug. */
  readonly categories: Readonly<Record<string, number>>;
  readonly #clients = new Map<string, ListingsClient>();
  readonly #backend: TestBackend;

  constructor(
    db: TestDatabase,
    backend: TestBackend,
    server: GrpcServer,
    address: string,
    categories: Readonly<Record<string, number>>,
  ) {
    this.db = db;
    this.knex = db.knex;
    this.#backend = backend;
    this.server = server;
    this.address = address;
    this.categories = categories;
  }

  /** Indexes listings as the indexing worker would (this world runs no worker). */
  async indexListings(...ids: number[]): Promise<void> {
    for (const id of ids) await this.#backend.indexListing(id);
  }

  /** A typed client presenting `caller`'s token (one per caller, reused). */
  async as(caller: Caller): Promise<ListingsClient> {
    const name = caller === 'anonymous' ? 'anonymous' : `${caller.sub}|${(caller.roles ?? []).join(',')}`;
    let client = this.#clients.get(name);
    if (client === undefined) {
      const token = caller === 'anonymous' ? undefined : await signToken(caller);
      client = createListingsClient(this.address, { ...(token ? { token } : {}), retries: { maxAttempts: 1 } });
      this.#clients.set(name, client);
    }
    return client;
  }

  /** A storefront row of `userId` (this service only reads storefronts); returns its id. */
  async addStorefront(userId: number, columns: Record<string, unknown> = {}): Promise<number> {
    const slug = (columns.slug as string | undefined) ?? `shop-${userId}-${Math.random().toString(36).slice(2, 10)}`;
    const [row] = await this.knex('storefronts')
      .insert({ user_id: userId, slug, name: `Shop ${slug}`, ...columns })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  }

  async count(table: string, where: Record<string, unknown> = {}): Promise<number> {
    const [row] = await this.knex(table).where(where).count<{ count: string | number }[]>({ count: '*' });
    return Number(row?.count ?? 0);
  }

  async close(): Promise<void> {
    for (const client of this.#clients.values()) client.close();
    await this.server.shutdown(1_000);
    await this.db.dispose();
  }
}

export interface GrpcWorldOptions {
  /** What searches read, built on the world's database (default: PostgreSQL full text, which indexListings writes). */
  readonly searchIndex?: (knex: Knex) => Promise<SearchIndex>;
}

/** Opens a fresh database and serves every handler on it. */
export async function openGrpcWorld(options: GrpcWorldOptions = {}): Promise<GrpcWorld> {
  const db = await freshPostgres('listings_grpc');
  try {
    await new KnexSchemaMigrator(db.knex).latest();
    await seed(db.knex);
    const rows = await db.knex('c2c_categories').select('id', 'slug');
    const categories = Object.fromEntries(rows.map((row) => [row.slug as string, Number(row.id)]));
    const verifier = await createTokenVerifier({ jwtSecret: SECRET });
    const backend = buildBackend(db.knex, await options.searchIndex?.(db.knex));
    const server = createGrpcServer({
      handlers: buildHandlers(backend.useCases),
      logger: silent,
      reflection: false,
      interceptors: { auth: { verifyToken: (token) => verifier.verify(token) } },
    });
    const port = await server.listen('127.0.0.1', 0);
    return new GrpcWorld(db, backend, server, `127.0.0.1:${port}`, categories);
  } catch (error) {
    await db.dispose();
    throw error;
  }
}

/** What a failed call is expected to carry; every given part is checked. */
export interface ExpectedFailure {
  /** The status message (the original's text or dotted reason). */
  readonly message?: string | RegExp;
  /** ErrorInfo.reason: the catalogue code. */
  readonly reason?: string;
  /** BadRequest field violations that must be present (field and, when given, description). */
  readonly violations?: readonly { readonly field: string; readonly description?: string | RegExp }[];
}

/** Awaits a call that must fail with gRPC status `code`; returns the error for further checks. */
export async function expectStatus(
  call: Promise<unknown>,
  code: number,
  expected: ExpectedFailure = {},
): Promise<ListingsClientError> {
  let failure: unknown;
  try {
    await call;
  } catch (error) {
    failure = error;
  }
  if (failure === undefined) throw new Error(`expected status ${code}, but the call succeeded`);
  expect(failure).toBeInstanceOf(ListingsClientError);
  const error = failure as ListingsClientError;
  expect(error.code, error.message).toBe(code);
  if (expected.message !== undefined) {
    if (typeof expected.message === 'string') expect(error.details).toBe(expected.message);
    else expect(error.details).toMatch(expected.message);
  }
  if (expected.reason !== undefined) expect(error.statusDetails?.reason).toBe(expected.reason);
  for (const violation of expected.violations ?? []) {
    const found = error.statusDetails?.violations.find((item) => item.field === violation.field);
    expect(
      found,
      `violation of ${violation.field} in ${JSON.stringify(error.statusDetails?.violations)}`,
    ).toBeDefined();
    if (typeof violation.description === 'string') expect(found?.description).toBe(violation.description);
    else if (violation.description) expect(found?.description).toMatch(violation.description);
  }
  return error;
}

export type { CallOptions };
