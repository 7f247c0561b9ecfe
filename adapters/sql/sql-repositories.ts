import type { Knex } from 'knex';
import type { CategoryRepository } from '../../ports/category-repository.ts';
import type { FavoriteRepository } from '../../ports/favorite-repository.ts';
import type { IdempotencyStore } from '../../ports/idempotency-store.ts';
import type { ImageRepository } from '../../ports/image-repository.ts';
import type { IndexOutbox } from '../../ports/index-outbox.ts';
import type { InventoryRepository } from '../../ports/inventory-repository.ts';
import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { ProductRepository } from '../../ports/product-repository.ts';
import type { StorefrontRepository } from '../../ports/storefront-repository.ts';
import { KnexInventoryRepository } from './inventory-repository.ts';
import { KnexCategoryRepository } from './knex-category-repository.ts';
import { KnexFavoriteRepository } from './knex-favorite-repository.ts';
import { KnexIdempotencyStore } from './knex-idempotency-store.ts';
import { KnexImageRepository } from './knex-image-repository.ts';
import { KnexIndexOutbox } from './knex-index-outbox.ts';
import { KnexListingRepository } from './knex-listing-repository.ts';
import { KnexStorefrontRepository } from './knex-storefront-repository.ts';
import { KnexProductRepository } from './product-repository.ts';
import { PlainSqlSession, type SqlSession } from './sql-session.ts';

/** Every SQL repository, bound to one session: the plain one, or a unit of work's transaction. */
export interface SqlRepositories {
  readonly listings: ListingRepository;
  readonly products: ProductRepository;
  readonly inventory: InventoryRepository;
  readonly categories: CategoryRepository;
  readonly storefronts: StorefrontRepository;
  readonly favorites: FavoriteRepository;
  readonly images: ImageRepository;
  readonly outbox: IndexOutbox;
  readonly idempotency: IdempotencyStore;
}

export function createSqlRepositories(session: SqlSession): SqlRepositories {
  return {
    listings: new KnexListingRepository(session),
    products: new KnexProductRepository(session),
    inventory: new KnexInventoryRepository(session),
    categories: new KnexCategoryRepository(session),
    storefronts: new KnexStorefrontRepository(session),
    favorites: new KnexFavoriteRepository(session),
    images: new KnexImageRepository(session),
    outbox: new KnexIndexOutbox(session),
    idempotency: new KnexIdempotencyStore(session),
  };
}

/**
 * The plain repositories of the composition root: each call runs on its own (one statement, or a short transaction
 * of its own), outside any unit of work. Using them inside `UnitOfWork.run` is refused (sql-session.ts).
 */
export function createPlainRepositories(knex: Knex): SqlRepositories {
  return createSqlRepositories(new PlainSqlSession(knex));
}
