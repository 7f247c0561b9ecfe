import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TransactionScope, UnitOfWork } from '../../ports/unit-of-work.ts';
import type { CurrencyCode } from '../../src/domain/currency.ts';
import { AppError } from '../../src/domain/errors.ts';
import type { NewListing } from '../../src/domain/listing.ts';
import { minorUnits } from '../../src/domain/money.ts';

/**
 * What the repository contract suites get from an adapter: a unit of work, the plain repositories, and the few
 * rows no port writes (categories, storefronts). Shared by every `*.contract.ts` of the persistence ports.
 */
export interface StoreHarness {
  readonly uow: UnitOfWork;
  readonly plain: Omit<TransactionScope, 'savepoint'>;
  seedCategory(category: SeedCategory): Promise<number>;
  seedStorefront(storefront: SeedStorefront): Promise<number>;
  /** Fails the scope's transaction the way the database does under contention (from inside `work`). */
  failLikeContention(tx: TransactionScope, kind: 'serialization_failure' | 'deadlock'): Promise<never>;
  /** Empties every table. */
  reset(): Promise<void>;
  dispose(): Promise<void>;
}

export interface SeedCategory {
  readonly slug: string;
  readonly name?: string;
  readonly parentId?: number | null;
  readonly isActive?: boolean;
  readonly sortOrder?: number;
}

export interface SeedStorefront {
  readonly slug: string;
  readonly userId: number;
  readonly name?: string;
  readonly city?: string | null;
  readonly isActive?: boolean;
  readonly isVerified?: boolean;
  /** Text, as the NUMERIC(3,2) column holds it (`'4.75'`). */
  readonly rating?: string;
  readonly productsCount?: number;
}

/** One fresh harness per suite, emptied before each test. */
export function useStoreHarness(factory: () => Promise<StoreHarness>): () => StoreHarness {
  let harness: StoreHarness | undefined;
  beforeAll(async () => {
    harness = await factory();
  });
  afterAll(async () => {
    await harness?.dispose();
  });
  beforeEach(async () => {
    await harness?.reset();
  });
  return () => harness as StoreHarness;
}

/** A valid C2C listing row for `categoryId`; `overrides` change any field. */
export function newListing(categoryId: number, overrides: Partial<NewListing> = {}): NewListing {
  const now = new Date();
  return {
    uuid: randomUUID(),
    userId: 7,
    storefrontId: null,
    title: 'Road bike',
    description: 'A light road bike',
    price: minorUnits(15_000),
    currency: 'RSD' as CurrencyCode,
    categoryId,
    status: 'active',
    visibility: 'public',
    quantity: 1,
    sku: null,
    barcode: null,
    viewCount: 0,
    favoritesCount: 0,
    soldCount: 0,
    createdAt: now,
    updatedAt: now,
    publishedAt: null,
    deletedAt: null,
    isDeleted: false,
    sourceType: 'c2c',
    attributes: {},
    stockStatus: 'in_stock',
    hasIndividualLocation: false,
    individualAddress: null,
    individualLatitude: null,
    individualLongitude: null,
    locationPrivacy: 'exact',
    showOnMap: true,
    hasVariants: false,
    ...overrides,
  };
}

/** The rejection of `promise`, which must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome, 'expected a rejection').toBeInstanceOf(AppError);
  return outcome as AppError;
}

/** The behaviour of every UnitOfWork adapter (ports/unit-of-work.ts), through the repositories of its scope. */
export function describeUnitOfWorkContract(name: string, factory: () => Promise<StoreHarness>): void {
  describe(`UnitOfWork contract: ${name}`, () => {
    const store = useStoreHarness(factory);
    let categoryId: number;
    beforeEach(async () => {
      categoryId = await store().seedCategory({ slug: 'bikes' });
    });

    const writeListingAndEntry = async (tx: TransactionScope, title = 'Road bike') => {
      const listing = await tx.listings.insert(newListing(categoryId, { title }));
      await tx.outbox.enqueue([{ listingId: listing.id, version: listing.version, operation: 'index' }]);
      return listing;
    };
    const pendingEntries = async () => (await store().plain.outbox.stats()).pending;

    it('commits the row and its outbox entry together and resolves with the value of work', async () => {
      const listing = await store().uow.run((tx) => writeListingAndEntry(tx));
      expect(await store().plain.listings.findRow(listing.id)).toMatchObject({ id: listing.id, version: 1 });
      expect(await pendingEntries()).toBe(1);
    });

    it('rolls back the row and its outbox entry when work throws, rethrowing the same error', async () => {
      const failure = new AppError('INVALID_STATE', 'changed my mind');
      let id = 0;
      const error = await rejectionOf(
        store().uow.run(async (tx) => {
          id = (await writeListingAndEntry(tx)).id;
          throw failure;
        }),
      );
      expect(error).toBe(failure);
      expect(id).toBeGreaterThan(0);
      expect(await store().plain.listings.findRow(id, { includeDeleted: true })).toBeNull();
      expect(await pendingEntries()).toBe(0);
    });

    it('rolls back only the failed savepoint; the transaction goes on and commits the rest', async () => {
      const storefrontId = await store().seedStorefront({ slug: 'shop', userId: 7 });
      const product = (sku: string, title: string) =>
        newListing(categoryId, { sku, title, storefrontId, sourceType: 'b2c' });
      const outcomes = await store().uow.run(async (tx) => {
        const results: string[] = [];
        for (const [sku, title] of [
          ['A-1', 'First product'],
          ['A-1', 'Duplicate product'],
          ['B-2', 'Third product'],
        ] as const) {
          try {
            await tx.savepoint(() => tx.listings.insert(product(sku, title)));
            results.push('ok');
          } catch (error) {
            results.push((error as AppError).code);
          }
        }
        await tx
          .savepoint(async () => {
            await tx.listings.insert(product('C-3', 'Rolled back product'));
            throw new AppError('INVALID_STATE', 'not this one');
          })
          .catch(() => undefined);
        return results;
      });
      expect(outcomes).toEqual(['ok', 'ALREADY_EXISTS', 'ok']);
      const { items } = await store().plain.listings.list({ storefrontId }, { limit: 10, offset: 0 });
      expect(items.map((item) => item.title).sort()).toEqual(['First product', 'Third product']);
    });

    it('nests savepoints: an inner failure keeps the outer savepoint’s work', async () => {
      await store().uow.run(async (tx) => {
        await tx.savepoint(async () => {
          await tx.listings.insert(newListing(categoryId, { title: 'Outer savepoint' }));
          await tx
            .savepoint(async () => {
              await tx.listings.insert(newListing(categoryId, { title: 'Inner savepoint' }));
              throw new AppError('INVALID_STATE', 'inner fails');
            })
            .catch(() => undefined);
        });
      });
      const { items } = await store().plain.listings.list({}, { limit: 10, offset: 0 });
      expect(items.map((item) => item.title)).toEqual(['Outer savepoint']);
    });

    it('refuses to commit when work swallowed a failed statement outside a savepoint', async () => {
      const storefrontId = await store().seedStorefront({ slug: 'shop', userId: 7 });
      const product = (title: string) =>
        newListing(categoryId, { sku: 'SAME', title, storefrontId, sourceType: 'b2c' });
      const error = await rejectionOf(
        store().uow.run(async (tx) => {
          await tx.listings.insert(product('First product'));
          await tx.listings.insert(product('Second product')).catch(() => undefined);
          return 'done';
        }),
      );
      expect(error.code).toBe('INTERNAL');
      expect((await store().plain.listings.list({}, { limit: 10, offset: 0 })).total).toBe(0);
    });

    for (const kind of ['serialization_failure', 'deadlock'] as const) {
      it(`runs work again after a ${kind.replace('_', ' ')}, committing once`, async () => {
        let attempts = 0;
        const value = await store().uow.run(async (tx) => {
          attempts++;
          await writeListingAndEntry(tx, `Attempt ${attempts}`);
          if (attempts === 1) await store().failLikeContention(tx, kind);
          return attempts;
        });
        expect(value).toBe(2);
        const { items } = await store().plain.listings.list({}, { limit: 10, offset: 0 });
        expect(items.map((item) => item.title)).toEqual(['Attempt 2']);
        expect(await pendingEntries()).toBe(1);
      });
    }

    it('retries even when work swallowed the conflict inside a savepoint', async () => {
      let attempts = 0;
      await store().uow.run(async (tx) => {
        attempts++;
        if (attempts === 1) {
          await tx.savepoint(() => store().failLikeContention(tx, 'serialization_failure')).catch(() => undefined);
        }
        await writeListingAndEntry(tx);
      });
      expect(attempts).toBe(2);
      expect((await store().plain.listings.list({}, { limit: 10, offset: 0 })).total).toBe(1);
    });

    it('gives up after 3 attempts and commits nothing', async () => {
      let attempts = 0;
      const error = await rejectionOf(
        store().uow.run(async (tx) => {
          attempts++;
          await writeListingAndEntry(tx);
          return store().failLikeContention(tx, 'serialization_failure');
        }),
      );
      expect(attempts).toBe(3);
      expect(error.code).toBe('INTERNAL');
      expect((await store().plain.listings.list({}, { limit: 10, offset: 0 })).total).toBe(0);
      expect(await pendingEntries()).toBe(0);
    });

    it('refuses a nested run, a plain repository inside run, and a scope used after run settled', async () => {
      let leaked: TransactionScope | undefined;
      const nested = await rejectionOf(
        store().uow.run(async (tx) => {
          leaked = tx;
          return store().uow.run(async () => 1);
        }),
      );
      expect(nested.code).toBe('INTERNAL');
      const plainInside = await rejectionOf(store().uow.run(() => store().plain.listings.findRow(1)));
      expect(plainInside.code).toBe('INTERNAL');
      const afterwards = await rejectionOf((leaked as TransactionScope).listings.findRow(1));
      expect(afterwards.code).toBe('INTERNAL');
    });

    it('rejects writes in a read-only unit of work and reads in any isolation', async () => {
      const readOnly = await rejectionOf(store().uow.run((tx) => writeListingAndEntry(tx), { readOnly: true }));
      expect(readOnly.code).toBe('INTERNAL');
      for (const isolation of ['read committed', 'repeatable read', 'serializable'] as const) {
        const listing = await store().uow.run((tx) => writeListingAndEntry(tx, `In ${isolation}`), { isolation });
        expect(await store().uow.run((tx) => tx.listings.findRow(listing.id), { isolation, readOnly: true })).toEqual(
          listing,
        );
      }
    });
  });
}
