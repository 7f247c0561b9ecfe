import type { Knex } from 'knex';
import { MemoryCache } from '../../../../adapters/memory/cache/memory-cache.ts';
import { KnexSchemaMigrator } from '../../../../adapters/sql/knex-schema-migrator.ts';
import { KnexUnitOfWork } from '../../../../adapters/sql/knex-unit-of-work.ts';
import { createPlainRepositories } from '../../../../adapters/sql/sql-repositories.ts';
import { seed } from '../../../../migrations/seeds/categories.ts';
import type { Cache } from '../../../../ports/cache.ts';
import type { Clock } from '../../../../ports/clock.ts';
import type { ListingRepository } from '../../../../ports/listing-repository.ts';
import type { TransactionScope, UnitOfWork } from '../../../../ports/unit-of-work.ts';
import { CategoryQueries } from '../../../../src/categories/category-queries.ts';
import type { CreateListingInput, Listing, ListingDetails } from '../../../../src/domain/listing.ts';
import type { ListingStatus, Visibility } from '../../../../src/domain/listing-status.ts';
import { ChangeFavorite } from '../../../../src/favorites/change-favorite.ts';
import { FavoriteQueries } from '../../../../src/favorites/favorite-queries.ts';
import { ChangeListingImages } from '../../../../src/images/change-listing-images.ts';
import { ImageQueries } from '../../../../src/images/image-queries.ts';
import { ChangeListingStatus } from '../../../../src/listings/change-listing-status.ts';
import { CreateListing } from '../../../../src/listings/create-listing.ts';
import { DeleteListing } from '../../../../src/listings/delete-listing.ts';
import { GetListing } from '../../../../src/listings/get-listing.ts';
import { ListListings } from '../../../../src/listings/list-listings.ts';
import { ListingCache } from '../../../../src/listings/listing-cache.ts';
import { ListingsForReindex } from '../../../../src/listings/listings-for-reindex.ts';
import { UpdateListing } from '../../../../src/listings/update-listing.ts';
import { scopeWith } from '../../../../src/shared/scope-with.ts';
import { StorefrontQueries } from '../../../../src/storefronts/storefront-queries.ts';
import { freshPglite, freshPostgres, type TestDatabase } from '../../../support/databases.ts';
import { recordingMetrics } from '../../../unit/use-cases/recording-metrics.ts';
import { ADMIN, OWNER } from './principals.ts';

/** A clock tests can stop and move; it runs in real time until `set` is called. */
export class TestClock implements Clock {
  #fixed: Date | undefined;

  now(): Date {
    return this.#fixed === undefined ? new Date() : new Date(this.#fixed);
  }

  monotonicMs(): number {
    return performance.now();
  }

  set(at: Date): void {
    this.#fixed = new Date(at);
  }

  advance(ms: number): void {
    this.#fixed = new Date(this.now().getTime() + ms);
  }
}

/** The slugs of migrations/seeds/categories.ts (electronics → phones → smartphones is three levels deep). */
export type SeedSlug =
  | 'electronics'
  | 'phones'
  | 'smartphones'
  | 'phone-accessories'
  | 'computers'
  | 'vehicles'
  | 'bicycles'
  | 'home-garden'
  | 'furniture'
  | 'fashion';

export interface WorldOptions {
  /** PGlite by default; PostgreSQL for the races. */
  readonly kind?: 'pglite' | 'postgres';
  /** The cache behind the listing cache; a fresh MemoryCache by default. */
  readonly cache?: Cache;
}

/** Faults injected into every unit of work while set (e.g. an outbox whose enqueue throws). */
export interface Faults {
  scope?: ((tx: TransactionScope) => Partial<TransactionScope>) | undefined;
}

/**
 * The listing family's use cases on the real SQL adapters: a fresh migrated database (PGlite or PostgreSQL) with the
 * seed categories, the SQL unit of work and plain repositories, and an in-process cache. Only the cache and the
 * clock are stand-ins; nothing of the database is mocked. The plain listing repository counts `findById` reads.
 */
export class World {
  readonly db: TestDatabase;
  readonly knex: Knex;
  readonly clock = new TestClock();
  readonly faults: Faults = {};
  readonly reads = { findById: 0 };
  readonly categories: Readonly<Record<SeedSlug, number>>;
  metrics = recordingMetrics();
  /** The raw cache behind the listing cache (search generations, entries). */
  readonly cache: Cache;
  readonly #uow: UnitOfWork;
  readonly #plain: ReturnType<typeof createPlainRepositories>;
  readonly #listings: ListingRepository;

  get!: GetListing;
  create!: CreateListing;
  update!: UpdateListing;
  remove!: DeleteListing;
  status!: ChangeListingStatus;
  list!: ListListings;
  reindex!: ListingsForReindex;
  categoryQueries!: CategoryQueries;
  storefrontQueries!: StorefrontQueries;
  changeFavorite!: ChangeFavorite;
  favoriteQueries!: FavoriteQueries;
  imageQueries!: ImageQueries;
  changeImages!: ChangeListingImages;

  constructor(db: TestDatabase, categories: Readonly<Record<SeedSlug, number>>, cache: Cache) {
    this.db = db;
    this.knex = db.knex;
    this.categories = categories;
    this.cache = cache;
    const uow = new KnexUnitOfWork(db.knex);
    this.#uow = {
      run: (work, options) =>
        uow.run((tx) => work(this.faults.scope ? scopeWith(tx, this.faults.scope(tx)) : tx), options),
    };
    this.#plain = createPlainRepositories(db.knex);
    const plainListings = this.#plain.listings;
    this.#listings = new Proxy(plainListings, {
      get: (target, property, receiver) => {
        if (property === 'findById') {
          return (id: number) => {
            this.reads.findById++;
            return target.findById(id);
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    this.#build();
  }

  /** Fresh use cases, metrics and counters; rows truncated unless `keepRows` (then only the outbox is emptied). */
  async reset(options: { readonly keepRows?: boolean } = {}): Promise<void> {
    if (options.keepRows) {
      await this.knex('indexing_queue').delete();
    } else {
      await this.knex.raw(
        'TRUNCATE listings, indexing_queue, idempotency_keys, storefronts, c2c_favorites, listing_images CASCADE',
      );
    }
    this.faults.scope = undefined;
    this.reads.findById = 0;
    this.metrics = recordingMetrics();
    this.#build();
  }

  #build(): void {
    const plain = this.#plain;
    const listingCache = new ListingCache({ cache: this.cache, metrics: this.metrics });
    const writes = { uow: this.#uow, clock: this.clock, cache: listingCache, metrics: this.metrics };
    this.get = new GetListing({ listings: this.#listings, cache: listingCache });
    this.create = new CreateListing({ ...writes, ids: { uuid: () => crypto.randomUUID() } });
    this.update = new UpdateListing(writes);
    this.remove = new DeleteListing(writes);
    this.status = new ChangeListingStatus({ update: this.update });
    this.list = new ListListings({ listings: plain.listings });
    this.reindex = new ListingsForReindex({ listings: plain.listings });
    this.categoryQueries = new CategoryQueries({ categories: plain.categories });
    this.storefrontQueries = new StorefrontQueries({ storefronts: plain.storefronts });
    this.changeFavorite = new ChangeFavorite({ uow: this.#uow, clock: this.clock, cache: listingCache });
    this.favoriteQueries = new FavoriteQueries({ favorites: plain.favorites, listings: plain.listings });
    this.imageQueries = new ImageQueries({ images: plain.images, listings: plain.listings });
    this.changeImages = new ChangeListingImages({ uow: this.#uow, cache: listingCache });
  }

  /** A valid CreateListing request of user 7 in `bicycles`. */
  listingInput(overrides: Partial<CreateListingInput> = {}): CreateListingInput {
    return {
      userId: 7,
      title: 'Mountain bike',
      description: 'Barely used',
      price: 199.99,
      currency: 'RSD',
      categoryId: this.categories.bicycles,
      quantity: 1,
      ...overrides,
    };
  }

  /** A draft of user 7 created through CreateListing. */
  async newListing(overrides: Partial<CreateListingInput> = {}): Promise<ListingDetails> {
    return (await this.create.execute(OWNER, this.listingInput(overrides))).listing;
  }

  /** A listing of user 7 moved to `status` through allowed transitions. */
  async newListingWithStatus(
    status: ListingStatus,
    overrides: Partial<CreateListingInput> & { readonly visibility?: Visibility } = {},
  ): Promise<ListingDetails> {
    const listing = await this.newListing(overrides);
    const path: Record<ListingStatus, ListingStatus[]> = {
      draft: [],
      active: ['active'],
      inactive: ['active', 'inactive'],
      sold: ['active', 'sold'],
      archived: ['archived'],
    };
    let current = listing;
    for (const next of path[status])
      current = (await this.update.execute(ADMIN, { id: listing.id, status: next })).listing;
    return current;
  }

  /**
   * `count` listings of the caller created `1 ms` apart (groups of `sameInstant` share one instant, to exercise the
   * id tie-break); returns their ids in creation order.
   */
  async manyListings(
    caller: typeof OWNER,
    count: number,
    options: { readonly sameInstant?: number } = {},
  ): Promise<number[]> {
    const ids: number[] = [];
    const group = Math.max(1, options.sameInstant ?? 1);
    this.clock.set(new Date(Math.max(Date.now(), this.clock.now().getTime())));
    for (let i = 0; i < count; i++) {
      if (i % group === 0) this.clock.advance(1);
      const { listing } = await this.create.execute(caller, this.listingInput({ title: `Listing ${i}` }));
      ids.push(listing.id);
    }
    return ids;
  }

  /** The row as stored, deleted or not. */
  async row(id: number): Promise<Listing> {
    const row = await this.#plain.listings.findRow(id, { includeDeleted: true });
    if (row === null) throw new Error(`no listing ${id}`);
    return row;
  }

  /** The id the next insert will get. */
  async nextListingId(): Promise<number> {
    const result = await this.knex.raw('SELECT last_value, is_called FROM listings_id_seq');
    const { last_value: last, is_called: called } = result.rows[0] as { last_value: string; is_called: boolean };
    return called ? Number(last) + 1 : Number(last);
  }

  async count(table: string, where: Record<string, unknown> = {}): Promise<number> {
    const [row] = await this.knex(table).where(where).count<{ count: string | number }[]>({ count: '*' });
    return Number(row?.count ?? 0);
  }

  /** Outbox entries, oldest first. */
  async outbox(): Promise<{ listing_id: number; operation: string; status: string }[]> {
    const rows = await this.knex('indexing_queue').select('listing_id', 'operation', 'status').orderBy('id');
    return rows.map((row) => ({ ...row, listing_id: Number(row.listing_id) }));
  }

  async outboxVersion(listingId: number): Promise<number | null> {
    const row = await this.knex('indexing_queue').where({ listing_id: listingId, status: 'pending' }).first();
    return row?.listing_version == null ? null : Number(row.listing_version);
  }

  /** A storefront row of `userId` (the service only reads them), returning its id. */
  async addStorefront(userId: number, columns: Record<string, unknown> = {}): Promise<number> {
    const slug = (columns.slug as string | undefined) ?? `shop-${userId}-${Math.random().toString(36).slice(2, 8)}`;
    const [row] = await this.knex('storefronts')
      .insert({ user_id: userId, slug, name: `Shop ${slug}`, ...columns })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  }

  dispose(): Promise<void> {
    return this.db.dispose();
  }
}

/** Opens a fresh database, migrates it, seeds the categories and builds the world. */
export async function openWorld(options: WorldOptions = {}): Promise<World> {
  const db = options.kind === 'postgres' ? await freshPostgres('listings_uc') : await freshPglite();
  try {
    await new KnexSchemaMigrator(db.knex).latest();
    await seed(db.knex);
    const rows = await db.knex('c2c_categories').select('id', 'slug');
    const categories = Object.fromEntries(rows.map((row) => [row.slug as string, Number(row.id)])) as Record<
      SeedSlug,
      number
    >;
    return new World(db, categories, options.cache ?? new MemoryCache());
  } catch (error) {
    await db.dispose();
    throw error;
  }
}
