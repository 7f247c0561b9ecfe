import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnexInventoryRepository } from '../../adapters/sql/inventory-repository.ts';
import { KnexUnitOfWork } from '../../adapters/sql/knex-unit-of-work.ts';
import { KnexProductRepository } from '../../adapters/sql/product-repository.ts';
import type { MovementDetails } from '../../ports/inventory-repository.ts';
import { applyMovement, type MovementType, type StockTarget } from '../../src/domain/stock.ts';
import {
  type ContractDatabase,
  insertProduct,
  newVariant,
  rejection,
  type Shop,
  seedShop,
  unique,
} from './product-repository.contract.ts';

/**
 * The behaviour of InventoryRepository (ports/inventory-repository.ts) on a real, migrated database, driven the way
 * the stock use cases drive it: lock, compute with the domain's `applyMovement`, write, all in one transaction.
 */
export function describeInventoryRepositoryContract(name: string, factory: () => Promise<ContractDatabase>): void {
  describe(`InventoryRepository contract: ${name}`, () => {
    let db: ContractDatabase;
    let knex: Knex;
    let shop: Shop;
    let inventory: KnexInventoryRepository;
    const product = (overrides: Record<string, unknown> = {}) => insertProduct(knex, shop, overrides);
    const variantOf = async (productId: number, stockQuantity: number) => {
      const [variant] = await new KnexProductRepository(knex).insertVariants([
        newVariant(productId, { stockQuantity }),
      ]);
      return variant!.id;
    };
    const movements = (productId: number) =>
      knex('inventory_movements').where({ listing_id: productId }).orderBy('id').select('*');

    /** One stock operation as a use case runs it: lock, domain arithmetic, write; all or nothing. */
    const move = (
      target: StockTarget,
      type: MovementType,
      quantity: number,
      details: Omit<MovementDetails, 'type'> = {},
      on: Knex = knex,
    ) =>
      on.transaction(async (trx) => {
        const scoped = new KnexInventoryRepository(trx);
        const [level] = await scoped.lockStock([target]);
        if (level === undefined) throw new Error('no such target');
        const change = applyMovement(target, type, level.quantity, quantity);
        const soldDelta = type === 'sale' ? quantity : type === 'rollback' ? -quantity : 0;
        const written = await scoped.writeStock({ ...change, target, soldDelta, movement: { type, ...details } });
        return { ...change, ...written };
      });

    beforeAll(async () => {
      db = await factory();
      knex = db.knex;
      shop = await seedShop(knex);
      inventory = new KnexInventoryRepository(knex);
    });
    afterAll(async () => {
      await db?.dispose();
    });

    it('reads levels of existing targets once each, in (product, variant) order, status as stored', async () => {
      const [p1, p2] = [await product({ quantity: 3 }), await product({ quantity: 0 })];
      const v1 = await variantOf(p1, 40);
      const deleted = await product({ is_deleted: true, deleted_at: new Date() });
      const c2c = await product({ source_type: 'c2c', storefront_id: null });
      const foreign = await product({ storefront_id: shop.otherStorefrontId });
      const targets = [
        { productId: p2, variantId: null },
        { productId: p1, variantId: v1 },
        { productId: p1, variantId: null },
        { productId: p2, variantId: v1 },
        { productId: p1, variantId: v1 },
        { productId: deleted, variantId: null },
        { productId: c2c, variantId: null },
        { productId: foreign, variantId: null },
        { productId: 999_999, variantId: null },
      ];
      const expected = [
        { target: { productId: p1, variantId: null }, quantity: 3, stockStatus: 'low_stock' },
        { target: { productId: p1, variantId: v1 }, quantity: 40, stockStatus: 'in_stock' },
        { target: { productId: p2, variantId: null }, quantity: 0, stockStatus: 'out_of_stock' },
      ].map((level) => ({ ...level, storefrontId: shop.storefrontId }));
      expect(await inventory.readStock(targets, { storefrontId: shop.storefrontId })).toEqual(expected);
      const locked = await knex.transaction((trx) =>
        new KnexInventoryRepository(trx).lockStock(targets, { storefrontId: shop.storefrontId }),
      );
      expect(locked).toEqual(expected);
      expect(await inventory.readStock([{ productId: foreign, variantId: null }])).toHaveLength(1);
    });

    it('refuses to lock outside a transaction', async () => {
      const id = await product();
      const error = await rejection(inventory.lockStock([{ productId: id, variantId: null }]));
      expect(error).toMatchObject({ code: 'INTERNAL' });
    });

    it('writes product stock with a signed movement, sold_count and the stored stock_status', async () => {
      const id = await product({ quantity: 8 });
      const target = { productId: id, variantId: null };
      const sale = await move(target, 'sale', 3, { orderId: 'o-1', userId: 42, reason: 'sale', metadata: { a: 1 } });
      expect(sale).toMatchObject({ before: 8, after: 5, productVersion: 2 });
      expect(await knex('listings').where({ id }).first()).toMatchObject({
        quantity: 5,
        sold_count: 3,
        stock_status: 'low_stock',
        version: 2,
      });
      await move(target, 'in', 10, { notes: 'restock' });
      await move(target, 'out', 15);
      expect((await inventory.readStock([target]))[0]).toMatchObject({ quantity: 0, stockStatus: 'out_of_stock' });
      expect(await movements(id)).toMatchObject([
        { movement_type: 'sale', quantity: -3, order_id: 'o-1', user_id: 42, reason: 'sale', metadata: { a: 1 } },
        { movement_type: 'in', quantity: 10, notes: 'restock', variant_id: null },
        { movement_type: 'out', quantity: -15 },
      ]);
    });

    it('allows an adjustment to 0 (negative delta) and writes no row for an adjustment to the current value', async () => {
      const id = await product({ quantity: 7 });
      const target = { productId: id, variantId: null };
      expect(await move(target, 'adjustment', 0)).toMatchObject({ before: 7, after: 0, delta: -7 });
      expect(await move(target, 'adjustment', 0)).toMatchObject({ before: 0, after: 0, delta: 0 });
      expect(await move(target, 'adjustment', 20)).toMatchObject({ after: 20 });
      expect((await movements(id)).map((row) => [row.movement_type, row.quantity])).toEqual([
        ['adjustment', -7],
        ['adjustment', 20],
      ]);
      expect((await inventory.readStock([target]))[0]).toMatchObject({ quantity: 20, stockStatus: 'in_stock' });
    });

    it('writes a variant’s own stock and sold_count, leaving the product row and its version alone', async () => {
      const id = await product({ quantity: 9 });
      const variantId = await variantOf(id, 6);
      const target = { productId: id, variantId };
      expect(await move(target, 'sale', 2, { orderId: 'o-v' })).toMatchObject({ after: 4, productVersion: 1 });
      expect(await knex('b2c_product_variants').where({ id: variantId }).first()).toMatchObject({
        stock_quantity: 4,
        sold_count: 2,
        stock_status: 'low_stock',
      });
      expect(await knex('listings').where({ id }).first()).toMatchObject({ quantity: 9, sold_count: 0, version: 1 });
      expect(await movements(id)).toMatchObject([{ variant_id: variantId, quantity: -2, order_id: 'o-v' }]);
    });

    it('never goes negative: INSUFFICIENT_STOCK with the original’s text, nothing written', async () => {
      const id = await product({ quantity: 2 });
      const variantId = await variantOf(id, 1);
      const error = await rejection(move({ productId: id, variantId: null }, 'sale', 3));
      expect(error).toMatchObject({
        code: 'INSUFFICIENT_STOCK',
        reason: 'inventory.insufficient_stock',
        message: `insufficient stock for product ${id}: have 2, need 3`,
      });
      const direct = await rejection(
        inventory.writeStock({ target: { productId: id, variantId }, before: 1, after: -1, movement: { type: 'out' } }),
      );
      expect(direct).toMatchObject({ code: 'INSUFFICIENT_STOCK', reason: 'inventory.insufficient_stock' });
      expect(await movements(id)).toEqual([]);
      expect((await inventory.readStock([{ productId: id, variantId }]))[0]?.quantity).toBe(1);
    });

    it('refuses a write from a level that is not the stored one, and reports missing targets', async () => {
      const [id, other] = [await product({ quantity: 5 }), await product()];
      const [variantId, foreignVariant] = [await variantOf(id, 5), await variantOf(other, 5)];
      const write = (target: StockTarget, before = 5) =>
        inventory.writeStock({ target, before, after: before - 1, movement: { type: 'out' } });
      expect(await rejection(write({ productId: id, variantId: null }, 4))).toMatchObject({ code: 'INTERNAL' });
      expect(await rejection(write({ productId: id, variantId }, 6))).toMatchObject({ code: 'INTERNAL' });
      expect(await rejection(write({ productId: 999_999, variantId: null }))).toMatchObject({
        code: 'PRODUCT_NOT_FOUND',
        reason: 'inventory.product_not_found',
      });
      expect(await rejection(write({ productId: id, variantId: foreignVariant }))).toMatchObject({
        code: 'VARIANT_NOT_FOUND',
        reason: 'inventory.variant_not_found',
      });
      expect(await movements(id)).toEqual([]);
      expect(
        await inventory.readStock([
          { productId: id, variantId: null },
          { productId: id, variantId },
        ]),
      ).toMatchObject([{ quantity: 5 }, { quantity: 5 }]);
    });

    it('rolls back once per (order, product, variant): a second rollback restores nothing and says so', async () => {
      const id = await product({ quantity: 10 });
      const variantId = await variantOf(id, 10);
      const own = { productId: id, variantId: null };
      const variant = { productId: id, variantId };
      const order = unique('order');
      await move(own, 'sale', 4, { orderId: order });
      await move(variant, 'sale', 3, { orderId: order });
      /** RollbackStock for one item: under the lock, skip it when a rollback movement exists. */
      const rollback = (target: StockTarget, quantity: number) =>
        knex.transaction(async (trx) => {
          const scoped = new KnexInventoryRepository(trx);
          const [level] = await scoped.lockStock([target]);
          const done = await scoped.findOrderMovements(order, target);
          if (done.some((movement) => movement.type === 'rollback')) return 'already rolled back';
          const change = applyMovement(target, 'rollback', level!.quantity, quantity);
          await scoped.writeStock({
            ...change,
            target,
            soldDelta: -quantity,
            movement: { type: 'rollback', orderId: order },
          });
          return 'restored';
        });
      expect(await rollback(own, 4)).toBe('restored');
      expect(await rollback(own, 4)).toBe('already rolled back');
      expect(await rollback(variant, 3)).toBe('restored');
      expect(await rollback(variant, 3)).toBe('already rolled back');
      expect(await inventory.readStock([own, variant])).toMatchObject([{ quantity: 10 }, { quantity: 10 }]);
      expect(await knex('listings').where({ id }).first()).toMatchObject({ sold_count: 0 });
      expect((await inventory.findOrderMovements(order, own)).map((m) => [m.type, m.quantity])).toEqual([
        ['sale', -4],
        ['rollback', 4],
      ]);
      expect(await inventory.findOrderMovements(order, variant)).toMatchObject([
        { type: 'sale', quantity: -3, target: variant, orderId: order },
        { type: 'rollback', quantity: 3, target: variant, orderId: order },
      ]);
      // A caller that skips the check hits the unique index: ALREADY_EXISTS, and the stock stays as it was.
      const again = await rejection(move(own, 'rollback', 4, { orderId: order }));
      expect(again).toMatchObject({ code: 'ALREADY_EXISTS', reason: 'inventory.rollback_exists' });
      expect((await inventory.readStock([own]))[0]?.quantity).toBe(10);
      const anonymous = await rejection(move(own, 'rollback', 1));
      expect(anonymous).toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('locks multi-item orders in one order, so crossing orders never deadlock', async () => {
      const ids = [
        await product({ quantity: 100 }),
        await product({ quantity: 100 }),
        await product({ quantity: 100 }),
      ];
      const variantId = await variantOf(ids[0]!, 100);
      const targets: StockTarget[] = [
        ...ids.map((id) => ({ productId: id, variantId: null })),
        { productId: ids[0]!, variantId },
      ];
      const wide = db.wideKnex ?? knex;
      const order = (shift: number) =>
        wide.transaction(async (trx) => {
          const scoped = new KnexInventoryRepository(trx);
          const items = [...targets.slice(shift), ...targets.slice(0, shift)].reverse();
          for (const level of await scoped.lockStock(items)) {
            const change = applyMovement(level.target, 'sale', level.quantity, 1);
            await scoped.writeStock({ ...change, target: level.target, soldDelta: 1, movement: { type: 'sale' } });
          }
        });
      await Promise.all(Array.from({ length: 24 }, (_, i) => order(i % targets.length)));
      expect((await inventory.readStock(targets)).map((level) => level.quantity)).toEqual([76, 76, 76, 76]);
    });

    it('runs in the unit of work’s scope: 30 buyers of 10 through UnitOfWork.run, a failed rollback commits nothing', async () => {
      const id = await product({ quantity: 10 });
      const target = { productId: id, variantId: null };
      const uow = new KnexUnitOfWork(db.wideKnex ?? knex);
      const buy = (i: number) =>
        uow.run(async (tx) => {
          const [level] = await tx.inventory.lockStock([target]);
          const change = applyMovement(target, 'sale', level!.quantity, 1);
          await tx.inventory.writeStock({
            ...change,
            target,
            soldDelta: 1,
            movement: { type: 'sale', orderId: `uow-${i}` },
          });
        });
      const outcomes = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => buy(i)));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(10);
      const rollback = (quantity: number) =>
        uow.run(async (tx) => {
          const [level] = await tx.inventory.lockStock([target]);
          const change = applyMovement(target, 'rollback', level!.quantity, quantity);
          await tx.inventory.writeStock({
            ...change,
            target,
            soldDelta: -quantity,
            movement: { type: 'rollback', orderId: 'uow-0' },
          });
        });
      await rollback(1);
      expect(await rejection(rollback(1))).toMatchObject({
        code: 'ALREADY_EXISTS',
        reason: 'inventory.rollback_exists',
      });
      expect(await inventory.readStock([target])).toMatchObject([{ quantity: 1 }]);
      expect(await movements(id)).toHaveLength(11);
    });

    for (const kind of ['product', 'variant'] as const) {
      it(`sells exactly 10 of 10 to 50 concurrent buyers of a ${kind}`, async () => {
        const id = await product({ quantity: 10 });
        const variantId = kind === 'variant' ? await variantOf(id, 10) : null;
        const target = { productId: id, variantId };
        const wide = db.wideKnex ?? knex;
        const buyers = Array.from({ length: 50 }, (_, i) => move(target, 'sale', 1, { orderId: `race-${i}` }, wide));
        const outcomes = await Promise.allSettled(buyers);
        const sold = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
        expect(sold).toHaveLength(10);
        expect(refused).toHaveLength(40);
        for (const error of refused) {
          expect(error).toMatchObject({ code: 'INSUFFICIENT_STOCK', reason: 'inventory.insufficient_stock' });
        }
        expect((await inventory.readStock([target]))[0]).toMatchObject({ quantity: 0, stockStatus: 'out_of_stock' });
        const rows = await movements(id);
        expect(rows).toHaveLength(10);
        expect(rows.every((row) => row.quantity === -1 && row.variant_id === variantId)).toBe(true);
        const table = kind === 'product' ? 'listings' : 'b2c_product_variants';
        expect(
          await knex(table)
            .where({ id: variantId ?? id })
            .first(),
        ).toMatchObject({ sold_count: 10 });
      });
    }
  });
}
