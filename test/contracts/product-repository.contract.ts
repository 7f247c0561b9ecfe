import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnexProductRepository } from '../../adapters/sql/product-repository.ts';
import type { NewVariant } from '../../src/domain/product-variant.ts';
import { describeVariantGuarantees } from './product-variant-guarantees.contract.ts';

/**
 * The behaviour of ProductRepository (ports/product-repository.ts) on a real, migrated database. The factory gives a
 * fresh database per suite; rows are set up with plain knex, and each test uses its own products and SKUs.
 */
export interface ContractDatabase {
  readonly knex: Knex;
  /** A knex with ≥ 50 pooled connections for the races (default: `knex`). */
  readonly wideKnex?: Knex;
  dispose(): Promise<void>;
}

export interface Shop {
  readonly categoryId: number;
  readonly storefrontId: number;
  readonly otherStorefrontId: number;
}

let serial = 0;
/** A text unique within the run, for SKUs and slugs. */
export const unique = (prefix: string): string => `${prefix}-${++serial}`;

export async function seedShop(knex: Knex): Promise<Shop> {
  const [category] = await knex('c2c_categories').insert({ name: 'Bikes', slug: unique('bikes') }, ['id']);
  const storefront = (slug: string) =>
    knex('storefronts').insert({ user_id: 7, slug: unique(slug), name: `Shop ${slug}` }, ['id']);
  const [[own], [other]] = await Promise.all([storefront('own'), storefront('other')]);
  return { categoryId: category.id, storefrontId: own.id, otherStorefrontId: other.id };
}

/** Inserts a live, active b2c row (a product); `overrides` are columns. */
export async function insertProduct(knex: Knex, shop: Shop, overrides: Record<string, unknown> = {}): Promise<number> {
  const row = {
    user_id: 7,
    storefront_id: shop.storefrontId,
    source_type: 'b2c',
    title: 'Road bike',
    price: '100.00',
    category_id: shop.categoryId,
    quantity: 10,
    status: 'active',
    ...overrides,
  };
  const [inserted] = await knex('listings').insert(row, ['id']);
  return inserted.id;
}

export function newVariant(productId: number, overrides: Partial<NewVariant> = {}): NewVariant {
  return {
    productId,
    sku: unique('V'),
    barcode: null,
    price: null,
    compareAtPrice: null,
    costPrice: null,
    stockQuantity: 10,
    stockStatus: 'in_stock',
    lowStockThreshold: 5,
    variantAttributes: { size: 'M' },
    weight: null,
    dimensions: null,
    isActive: true,
    isDefault: false,
    ...overrides,
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  const outcome = await promise.then(
    () => ({ resolved: true }) as const,
    (error: unknown) => ({ resolved: false, error }) as const,
  );
  if (outcome.resolved) throw new Error('expected a rejection');
  return outcome.error as Record<string, unknown>;
}

export function describeProductRepositoryContract(name: string, factory: () => Promise<ContractDatabase>): void {
  describe(`ProductRepository contract: ${name}`, () => {
    let db: ContractDatabase;
    let knex: Knex;
    let shop: Shop;
    let products: KnexProductRepository;
    const product = (overrides: Record<string, unknown> = {}) => insertProduct(knex, shop, overrides);

    beforeAll(async () => {
      db = await factory();
      knex = db.knex;
      shop = await seedShop(knex);
      products = new KnexProductRepository(knex);
    });
    afterAll(async () => {
      await db?.dispose();
    });

    it('reads a live product of any status through the Product names, money exact', async () => {
      const sku = unique('P');
      const id = await product({
        title: 'Gravel bike',
        description: null,
        price: '9999999999999.99',
        quantity: 3,
        status: 'draft',
        sku,
        barcode: '4006381333931',
        attributes: JSON.stringify({ color: 'red', gears: 22 }),
        individual_latitude: '44.81250000',
      });
      const found = await products.findById(id);
      expect(found).toMatchObject({
        id,
        storefrontId: shop.storefrontId,
        name: 'Gravel bike',
        description: '',
        price: 999_999_999_999_999,
        currency: 'RSD',
        sku,
        barcode: '4006381333931',
        stockQuantity: 3,
        stockStatus: 'low_stock',
        isActive: false,
        status: 'draft',
        attributes: { color: 'red', gears: 22 },
        individualLatitude: 44.8125,
        variants: [],
        version: 1,
      });
      expect(await products.findById(id, { storefrontId: shop.storefrontId })).not.toBeNull();
    });

    it('reads missing, deleted, c2c and other storefronts’ products as null', async () => {
      const deleted = await product({ is_deleted: true, deleted_at: new Date() });
      const c2c = await product({ source_type: 'c2c', storefront_id: null });
      const other = await product({ storefront_id: shop.otherStorefrontId });
      expect(await products.findById(999_999)).toBeNull();
      expect(await products.findById(deleted)).toBeNull();
      expect(await products.findById(c2c)).toBeNull();
      expect(await products.findById(other, { storefrontId: shop.storefrontId })).toBeNull();
      expect(await products.findById(other)).not.toBeNull();
    });

    it('fills variants only when asked, default first then by id', async () => {
      const id = await product({ has_variants: true });
      const [a, b, c] = await products.insertVariants([newVariant(id), newVariant(id), newVariant(id)]);
      await products.setDefaultVariant(id, c!.id);
      const found = await products.findById(id, { withVariants: true });
      expect(found?.variants.map((variant) => variant.id)).toEqual([c!.id, a!.id, b!.id]);
      const [listed] = await products.findByIds([id], { withVariants: true });
      expect(listed?.variants).toHaveLength(3);
    });

    it('finds active products by SKUs and by ids, id ascending, unknown keys omitted', async () => {
      const [s1, s2, s3, s4] = [unique('S'), unique('S'), unique('S'), unique('S')];
      const p1 = await product({ sku: s1 });
      const p2 = await product({ sku: s2 });
      await product({ sku: s3, status: 'inactive' });
      const p4 = await product({ sku: s4, storefront_id: shop.otherStorefrontId });
      const bySku = await products.findBySkus([s4, s3, s2, s1, 'NOPE']);
      expect(bySku.map((p) => p.id)).toEqual([p1, p2, p4]);
      const owned = await products.findBySkus([s1, s4], { storefrontId: shop.storefrontId });
      expect(owned.map((p) => p.id)).toEqual([p1]);
      expect((await products.findByIds([p4, p2, p1, 999_999])).map((p) => p.id)).toEqual([p1, p2, p4]);
      expect(await products.findByIds([p4], { storefrontId: shop.storefrontId })).toEqual([]);
      expect(await products.findBySkus([])).toEqual([]);
    });

    it('lists a storefront’s live products newest first, with the total of all matches', async () => {
      const storefront = await seedShop(knex);
      const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
      const ids = [];
      for (const [minute, status] of [
        [1, 'active'],
        [2, 'draft'],
        [2, 'active'],
        [3, 'active'],
      ] as const) {
        ids.push(await insertProduct(knex, storefront, { created_at: at(minute), status }));
      }
      await insertProduct(knex, storefront, { created_at: at(9), is_deleted: true, deleted_at: at(9) });
      const [first, second, third, fourth] = ids as [number, number, number, number];
      const page = await products.listByStorefront(storefront.storefrontId, { limit: 2, offset: 0 });
      expect(page.total).toBe(4);
      expect(page.items.map((p) => p.id)).toEqual([fourth, third]);
      const next = await products.listByStorefront(storefront.storefrontId, { limit: 2, offset: 2 });
      expect(next.items.map((p) => p.id)).toEqual([second, first]);
      const active = await products.listByStorefront(
        storefront.storefrontId,
        { limit: 10, offset: 0 },
        { activeOnly: true },
      );
      expect(active).toMatchObject({ total: 3 });
      expect(active.items.map((p) => p.id)).toEqual([fourth, third, first]);
      expect(await products.listByStorefront(999_999, { limit: 10, offset: 0 })).toEqual({ items: [], total: 0 });
    });

    it('reports which SKUs of a batch live products of the storefront already use', async () => {
      const [taken, free, deleted, elsewhere] = [unique('T'), unique('T'), unique('T'), unique('T')];
      const owner = await product({ sku: taken, status: 'inactive' });
      await product({ sku: deleted, is_deleted: true, deleted_at: new Date() });
      await product({ sku: elsewhere, storefront_id: shop.otherStorefrontId });
      const batch = [taken, free, deleted, elsewhere, taken.toLowerCase()];
      expect(await products.findTakenSkus(shop.storefrontId, batch)).toEqual(new Set([taken]));
      expect(await products.findTakenSkus(shop.storefrontId, batch, { excludeProductId: owner })).toEqual(new Set());
      expect(await products.findTakenSkus(shop.otherStorefrontId, batch)).toEqual(new Set([elsewhere]));
    });

    it('soft-deletes the storefront’s live products only, keeping their variants', async () => {
      const [a, b] = [await product({ has_variants: true }), await product()];
      await products.insertVariants([newVariant(a)]);
      const gone = await product({ is_deleted: true, deleted_at: new Date() });
      const foreign = await product({ storefront_id: shop.otherStorefrontId });
      const at = new Date('2026-03-01T10:00:00.000Z');
      const result = await products.deleteMany({
        storefrontId: shop.storefrontId,
        ids: [b, a, gone, foreign, 999_999],
        hard: false,
        at,
      });
      expect(result).toEqual({
        deleted: [
          { id: a, version: 2 },
          { id: b, version: 2 },
        ],
        variantsDeleted: 0,
      });
      const row = await knex('listings').where({ id: a }).first();
      expect(row).toMatchObject({ is_deleted: true, deleted_at: at });
      expect(await products.findById(a)).toBeNull();
      expect(await products.listVariants(a)).toHaveLength(1);
      expect(await products.findById(foreign)).not.toBeNull();
    });

    it('hard-deletes rows with their variants and movements, counting the variants', async () => {
      const [a, b] = [await product({ has_variants: true }), await product()];
      await products.insertVariants([newVariant(a), newVariant(a), newVariant(b)]);
      await knex('inventory_movements').insert({ listing_id: a, movement_type: 'in', quantity: 5 });
      const soft = await product({ is_deleted: true, deleted_at: new Date() });
      const result = await products.deleteMany({
        storefrontId: shop.storefrontId,
        ids: [a, b, soft],
        hard: true,
        at: new Date(),
      });
      expect(result).toEqual({
        deleted: [
          { id: a, version: 2 },
          { id: b, version: 2 },
        ],
        variantsDeleted: 3,
      });
      expect(await knex('listings').whereIn('id', [a, b]).count({ n: '*' }).first()).toEqual({ n: 0 });
      expect(await knex('b2c_product_variants').whereIn('product_id', [a, b]).count({ n: '*' }).first()).toEqual({
        n: 0,
      });
      expect(await knex('inventory_movements').where({ listing_id: a }).count({ n: '*' }).first()).toEqual({ n: 0 });
      expect(await knex('listings').where({ id: soft }).first()).toBeDefined();
    });

    it('aggregates stats over live b2c rows, Σ price × quantity exact beyond 2^53', async () => {
      const s = await seedShop(knex);
      await insertProduct(knex, s, { price: '9999999999999.99', quantity: 1000, sold_count: 4 });
      await insertProduct(knex, s, { price: '0.10', quantity: 3, status: 'inactive', sold_count: 1 });
      await insertProduct(knex, s, { price: '0.01', quantity: 0 });
      await insertProduct(knex, s, { price: '5.00', quantity: 7, is_deleted: true, deleted_at: new Date() });
      expect(await products.stats(s.storefrontId)).toEqual({
        totalProducts: 3,
        activeProducts: 2,
        outOfStock: 1,
        lowStock: 1,
        totalValue: 999_999_999_999_999n * 1000n + 30n,
        totalSold: 5,
      });
      expect(await products.stats(999_999)).toEqual({
        totalProducts: 0,
        activeProducts: 0,
        outOfStock: 0,
        lowStock: 0,
        totalValue: 0n,
        totalSold: 0,
      });
    });

    describeVariantGuarantees(() => ({ knex, wideKnex: db.wideKnex ?? knex, products, product }));
  });
}
