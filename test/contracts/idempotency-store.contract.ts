import { setTimeout as sleep } from 'node:timers/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import type { IdempotencyKey } from '../../ports/idempotency-store.ts';
import { newListing, rejectionOf, type StoreHarness, useStoreHarness } from './unit-of-work.contract.ts';

const TTL = 60_000;

/** The behaviour of every IdempotencyStore adapter (ports/idempotency-store.ts). */
export function describeIdempotencyStoreContract(name: string, factory: () => Promise<StoreHarness>): void {
  describe(`IdempotencyStore contract: ${name}`, () => {
    const store = useStoreHarness(factory);
    const keys = () => store().plain.idempotency;
    let key: IdempotencyKey;
    let counter = 0;
    beforeEach(() => {
      key = { scope: 'listings.create', principal: 'user:7', key: `key-${++counter}` };
    });

    it('reserves once, reports in progress, then replays the completed response', async () => {
      expect(await keys().reserve(key, 'hash-a', TTL)).toEqual({ state: 'reserved' });
      expect(await keys().reserve(key, 'hash-a', TTL)).toEqual({ state: 'in_progress' });
      const response = { id: 42, title: 'Road bike', tags: ['fast'], price: 150.5, nested: { ok: true } };
      await keys().complete(key, response, 42);
      expect(await keys().reserve(key, 'hash-a', TTL)).toEqual({ state: 'completed', response, resourceId: 42 });
    });

    it('refuses the same key with another request, whatever the state', async () => {
      await keys().reserve(key, 'hash-a', TTL);
      expect((await rejectionOf(keys().reserve(key, 'hash-b', TTL))).code).toBe('IDEMPOTENCY_KEY_REUSED');
      await keys().complete(key, null, null);
      expect((await rejectionOf(keys().reserve(key, 'hash-b', TTL))).code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await keys().reserve(key, 'hash-a', TTL)).toEqual({
        state: 'completed',
        response: null,
        resourceId: null,
      });
    });

    it('scopes keys by operation and caller', async () => {
      await keys().reserve(key, 'hash-a', TTL);
      await keys().complete(key, { id: 1 }, 1);
      expect(await keys().reserve({ ...key, principal: 'user:8' }, 'hash-b', TTL)).toEqual({ state: 'reserved' });
      expect(await keys().reserve({ ...key, scope: 'products.create' }, 'hash-b', TTL)).toEqual({ state: 'reserved' });
    });

    it('forgets a released reservation so the key can be retried; unknown keys are ignored', async () => {
      await keys().reserve(key, 'hash-a', TTL);
      await keys().release(key);
      await keys().release({ ...key, key: 'never-used' });
      expect(await keys().reserve(key, 'hash-b', TTL)).toEqual({ state: 'reserved' });
      await keys().complete(key, { id: 2 }, 2);
      await keys().release(key);
      expect(await keys().reserve(key, 'hash-b', TTL)).toMatchObject({ state: 'completed' });
    });

    it('lets a new request take over an expired entry, and purges expired entries', async () => {
      await keys().reserve(key, 'hash-a', 30);
      const completed = { ...key, key: `${key.key}-done` };
      await keys().reserve(completed, 'hash-a', 30);
      await keys().complete(completed, { id: 3 }, 3);
      const lasting = { ...key, key: `${key.key}-lasting` };
      await keys().reserve(lasting, 'hash-a', TTL);
      await sleep(80);
      expect(await keys().purgeExpired(1)).toBe(1);
      expect(await keys().reserve(key, 'hash-b', TTL)).toEqual({ state: 'reserved' });
      expect(await keys().purgeExpired()).toBeLessThanOrEqual(1);
      expect(await keys().reserve(completed, 'hash-c', TTL)).toEqual({ state: 'reserved' });
      expect(await keys().reserve(lasting, 'hash-a', TTL)).toEqual({ state: 'in_progress' });
      expect(await keys().purgeExpired()).toBe(0);
    });

    it('gives exactly one of concurrent requests the reservation', async () => {
      const outcomes = await Promise.all([1, 2, 3, 4].map(() => keys().reserve(key, 'hash-a', TTL)));
      expect(outcomes.map((outcome) => outcome.state).sort()).toEqual([
        'in_progress',
        'in_progress',
        'in_progress',
        'reserved',
      ]);
    });

    it('completes in the write’s transaction: a rollback keeps the key reserved, not completed', async () => {
      const categoryId = await store().seedCategory({ slug: 'bikes' });
      await keys().reserve(key, 'hash-a', TTL);
      await rejectionOf(
        store().uow.run(async (tx) => {
          const listing = await tx.listings.insert(newListing(categoryId));
          await tx.idempotency.complete(key, { id: listing.id }, listing.id);
          throw new Error('the write failed after all');
        }),
      );
      expect(await keys().reserve(key, 'hash-a', TTL)).toEqual({ state: 'in_progress' });
      const id = await store().uow.run(async (tx) => {
        const listing = await tx.listings.insert(newListing(categoryId));
        await tx.idempotency.complete(key, { id: listing.id }, listing.id);
        return listing.id;
      });
      expect(await keys().reserve(key, 'hash-a', TTL)).toEqual({
        state: 'completed',
        response: { id },
        resourceId: id,
      });
    });

    it('refuses to complete a key that is not reserved', async () => {
      expect((await rejectionOf(keys().complete(key, { id: 1 }, 1))).code).toBe('INTERNAL');
    });
  });
}
