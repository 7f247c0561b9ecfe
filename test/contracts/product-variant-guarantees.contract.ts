import type { Knex } from 'knex';
import { expect, it } from 'vitest';
import { KnexProductRepository } from '../../adapters/sql/product-repository.ts';
import { minorUnits } from '../../src/domain/money.ts';
import { assertCanDeactivate, defaultAfterDelete } from '../../src/domain/variant-rules.ts';
import { newVariant, rejection, unique } from './product-repository.contract.ts';

// Part of the ProductRepository contract (product-repository.contract.ts runs it inside its suite).
export interface VariantSuiteContext {
  readonly knex: Knex;
  readonly wideKnex: Knex;
  readonly products: KnexProductRepository;
  readonly product: (overrides?: Record<string, unknown>) => Promise<number>;
}

/** Variant reads and writes, default and last-variant rules under the parent lock. */
export function describeVariantGuarantees(context: () => VariantSuiteContext): void {
  it('inserts variants in input order, never as default, with the trigger’s stock_status and exact prices', async () => {
    const { products, product } = context();
    const id = await product({ has_variants: true });
    const rows = [
      newVariant(id, { stockQuantity: 0, price: minorUnits(1999), isDefault: true }),
      newVariant(id, { stockQuantity: 5, costPrice: minorUnits(1), weight: 1250.5, dimensions: { w: 3 } }),
      newVariant(id, { stockQuantity: 6, compareAtPrice: minorUnits(999_999_999_999_999), lowStockThreshold: null }),
    ];
    const inserted = await products.insertVariants(rows);
    expect(inserted.map((v) => v.sku)).toEqual(rows.map((v) => v.sku));
    expect(inserted.map((v) => [v.isDefault, v.stockStatus])).toEqual([
      [false, 'out_of_stock'],
      [false, 'low_stock'],
      [false, 'in_stock'],
    ]);
    expect(inserted[0]).toMatchObject({ price: 1999, productId: id, variantAttributes: { size: 'M' }, soldCount: 0 });
    expect(inserted[1]).toMatchObject({ costPrice: 1, weight: 1250.5, dimensions: { w: 3 } });
    expect(inserted[2]?.compareAtPrice).toBe(999_999_999_999_999);
    expect(await products.findVariant(inserted[1]!.id)).toEqual(inserted[1]);
    expect(await products.insertVariants([])).toEqual([]);
  });

  it('translates variant SKU and parent violations, and allows the same SKU in another product', async () => {
    const { products, product } = context();
    const [a, b] = [await product({ has_variants: true }), await product({ has_variants: true })];
    const sku = unique('DUP');
    const [first] = await products.insertVariants([newVariant(a, { sku })]);
    const inBatch = await rejection(products.insertVariants([newVariant(a), newVariant(a, { sku })]));
    expect(inBatch).toMatchObject({ code: 'ALREADY_EXISTS', reason: 'variants.sku_duplicate', details: { sku } });
    expect(await products.listVariants(a)).toHaveLength(1);
    await products.insertVariants([newVariant(b, { sku })]);
    const [second] = await products.insertVariants([newVariant(a)]);
    const onUpdate = await rejection(products.updateVariant(second!.id, { sku }));
    expect(onUpdate).toMatchObject({ code: 'ALREADY_EXISTS', reason: 'variants.sku_duplicate' });
    const orphan = await rejection(products.insertVariants([newVariant(999_999)]));
    expect(orphan).toMatchObject({ code: 'PRODUCT_NOT_FOUND', reason: 'variants.product_not_found' });
    expect(first?.sku).toBe(sku);
  });

  it('finds a variant within its product only, and lists default first, active only when asked', async () => {
    const { products, product } = context();
    const [a, b] = [await product({ has_variants: true }), await product({ has_variants: true })];
    const [v1, v2, v3] = await products.insertVariants([newVariant(a), newVariant(a), newVariant(a)]);
    await products.updateVariant(v1!.id, { isActive: false });
    await products.setDefaultVariant(a, v3!.id);
    expect(await products.findVariant(v1!.id, { productId: b })).toBeNull();
    expect(await products.findVariant(999_999)).toBeNull();
    expect((await products.listVariants(a)).map((v) => v.id)).toEqual([v3!.id, v1!.id, v2!.id]);
    expect((await products.listVariants(a, { activeOnly: true })).map((v) => v.id)).toEqual([v3!.id, v2!.id]);
  });

  it('updates the given columns, reads stock_status back, and reports a missing variant', async () => {
    const { products, product } = context();
    const id = await product({ has_variants: true });
    const [variant] = await products.insertVariants([newVariant(id, { stockQuantity: 10 })]);
    const low = await products.updateVariant(variant!.id, {
      stockQuantity: 4,
      price: minorUnits(1001),
      stockStatus: 'in_stock',
    });
    expect(low).toMatchObject({ stockQuantity: 4, stockStatus: 'low_stock', price: 1001, sku: variant!.sku });
    expect(await products.updateVariant(variant!.id, { lowStockThreshold: 3 })).toMatchObject({
      stockStatus: 'in_stock',
    });
    expect(await products.updateVariant(variant!.id, { stockQuantity: 0 })).toMatchObject({
      stockStatus: 'out_of_stock',
    });
    expect(await products.updateVariant(variant!.id, {})).toMatchObject({ id: variant!.id, stockQuantity: 0 });
    const missing = await rejection(products.updateVariant(999_999, { stockQuantity: 1 }));
    expect(missing).toMatchObject({ code: 'VARIANT_NOT_FOUND', reason: 'variants.not_found' });
    expect(await rejection(products.updateVariant(999_999, {}))).toMatchObject({ code: 'VARIANT_NOT_FOUND' });
  });

  it('keeps one default: clears the old one first, null clears all, another product’s variant is refused', async () => {
    const { knex, products, product } = context();
    const [a, b] = [await product({ has_variants: true }), await product({ has_variants: true })];
    const [v1, v2] = await products.insertVariants([newVariant(a), newVariant(a)]);
    const [foreign] = await products.insertVariants([newVariant(b)]);
    const defaults = async () => (await products.listVariants(a)).filter((v) => v.isDefault).map((v) => v.id);
    await products.setDefaultVariant(a, v1!.id);
    await products.setDefaultVariant(a, v2!.id);
    expect(await defaults()).toEqual([v2!.id]);
    await products.setDefaultVariant(a, v2!.id);
    expect(await defaults()).toEqual([v2!.id]);
    const refused = await rejection(products.setDefaultVariant(a, foreign!.id));
    expect(refused).toMatchObject({ code: 'VARIANT_NOT_FOUND', reason: 'variants.not_found' });
    expect(await defaults()).toEqual([v2!.id]);
    const aborted = knex.transaction(async (trx) => {
      const scoped = new KnexProductRepository(trx);
      await scoped.setDefaultVariant(a, v1!.id);
      expect((await scoped.listVariants(a)).filter((v) => v.isDefault).map((v) => v.id)).toEqual([v1!.id]);
      throw new Error('abort');
    });
    expect(await rejection(aborted)).toMatchObject({ message: 'abort' });
    expect(await defaults()).toEqual([v2!.id]);
    // Concurrent writers without the parent lock still leave exactly one default.
    const wide = context().wideKnex;
    const writers = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? v1 : v2)).map((v) =>
      wide.transaction((trx) => new KnexProductRepository(trx).setDefaultVariant(a, v!.id)),
    );
    await Promise.all(writers);
    expect(await defaults()).toHaveLength(1);
    await products.setDefaultVariant(a, null);
    expect(await defaults()).toEqual([]);
  });

  it('promotes the lowest remaining id when the default is deleted (rules applied under the parent lock)', async () => {
    const { knex, products, product } = context();
    const id = await product({ has_variants: true });
    const [v1, v2, v3] = await products.insertVariants([newVariant(id), newVariant(id), newVariant(id)]);
    await products.setDefaultVariant(id, v1!.id);
    await knex.transaction(async (trx) => {
      const scoped = new KnexProductRepository(trx);
      await trx('listings').where({ id }).forUpdate().first();
      const before = await scoped.listVariants(id);
      expect(await scoped.deleteVariant(v1!.id)).toMatchObject({ id: v1!.id, isDefault: true });
      await scoped.setDefaultVariant(id, defaultAfterDelete(before, v1!.id));
    });
    expect((await products.listVariants(id)).map((v) => [v.id, v.isDefault])).toEqual([
      [v2!.id, true],
      [v3!.id, false],
    ]);
    expect(await products.deleteVariant(v1!.id)).toBeNull();
  });

  it('lets only one of two concurrent writers deactivate the last two active variants', async () => {
    const { knex, products, product } = context();
    const id = await product({ has_variants: true });
    const [v1, v2] = await products.insertVariants([newVariant(id), newVariant(id)]);
    const deactivate = (variantId: number) =>
      knex.transaction(async (trx) => {
        const scoped = new KnexProductRepository(trx);
        await trx('listings').where({ id }).forUpdate().first();
        assertCanDeactivate(id, await scoped.listVariants(id), variantId);
        await scoped.updateVariant(variantId, { isActive: false });
      });
    const outcomes = await Promise.allSettled([deactivate(v1!.id), deactivate(v2!.id)]);
    const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ code: 'INVALID_STATE', reason: 'variants.last_variant' });
    expect(await products.listVariants(id, { activeOnly: true })).toHaveLength(1);
  });
}
