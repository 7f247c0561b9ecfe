import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IndexOutbox } from '../../../../ports/index-outbox.ts';
import type { AppError } from '../../../../src/domain/errors.ts';
import type { CreateListingInput } from '../../../../src/domain/listing.ts';
import { openWorld, type World } from './fixture.ts';
import { ADMIN, OWNER, SERVICE, STRANGER } from './principals.ts';

let world: World;
beforeAll(async () => {
  world = await openWorld();
});
afterAll(() => world?.dispose());
beforeEach(() => world.reset());

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as AppError,
  );

describe('CreateListing on the SQL adapters', () => {
  const valid = (): CreateListingInput => world.listingInput();

  it.each<[string, Partial<CreateListingInput>, string, string]>([
    ['a blank title', { title: '  ' }, 'title', 'title is required'],
    ['a short title', { title: 'ab' }, 'title', 'title must be at least 3 characters'],
    ['a long title', { title: 'x'.repeat(256) }, 'title', 'title must not exceed 255 characters'],
    ['price 0', { price: 0 }, 'price', 'price must be greater than 0'],
    ['a negative price', { price: -5 }, 'price', 'price must be greater than 0'],
    ['no currency', { currency: '' }, 'currency', 'currency is required'],
    ['a two-letter currency', { currency: 'RS' }, 'currency', 'currency must be 3 characters (ISO 4217)'],
    ['category 0', { categoryId: 0 }, 'category_id', 'category_id must be greater than 0'],
    ['a negative quantity', { quantity: -1 }, 'quantity', 'quantity cannot be negative'],
    ['an unknown category', { categoryId: 999_999 }, 'category_id', 'category not found'],
    ['an unknown storefront', { storefrontId: 999_999 }, 'storefront_id', 'storefront not found'],
  ])('rejects %s with the catalogue error, and writes nothing', async (_, change, field, message) => {
    const error = await caught(world.create.execute(OWNER, { ...valid(), ...change }));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(error?.violations).toContainEqual(expect.objectContaining({ field, message }));
    expect(await world.count('listings')).toBe(0);
    expect(await world.count('indexing_queue')).toBe(0);
  });

  it('reports every field problem at once', async () => {
    const error = await caught(
      world.create.execute(OWNER, { ...valid(), title: '', price: 0, currency: 'R', quantity: -2 }),
    );
    expect(error?.violations.map((violation) => violation.field)).toEqual(['title', 'price', 'currency', 'quantity']);
  });

  it('stores a c2c draft and its `index` outbox entry in one commit, and answers with the row', async () => {
    const { listing, replayed } = await world.create.execute(OWNER, valid());
    expect(replayed).toBe(false);
    expect(listing).toMatchObject({ userId: 7, status: 'draft', sourceType: 'c2c', storefrontId: null, version: 1 });
    expect(listing.id).toBeGreaterThan(0);
    expect(await world.outbox()).toEqual([{ listing_id: listing.id, operation: 'index', status: 'pending' }]);
    expect(world.metrics.events).toContain('listing:created');
  });

  it('allows quantity 0 (the original rejected it)', async () => {
    const { listing } = await world.create.execute(OWNER, { ...valid(), quantity: 0 });
    expect(listing.quantity).toBe(0);
  });

  it('makes a b2c row iff a storefront is given, and only in a storefront the owner holds', async () => {
    const own = await world.addStorefront(7);
    const theirs = await world.addStorefront(8);
    const { listing } = await world.create.execute(OWNER, { ...valid(), storefrontId: own });
    expect(listing).toMatchObject({ sourceType: 'b2c', storefrontId: own });
    const error = await caught(world.create.execute(OWNER, { ...valid(), storefrontId: theirs }));
    expect(error?.code).toBe('PERMISSION_DENIED');
    expect(await world.count('listings')).toBe(1);
  });

  it('rolls the listing back when the outbox enqueue fails after the insert', async () => {
    const failing = (outbox: IndexOutbox): IndexOutbox => ({
      ...outbox,
      enqueue: () => Promise.reject(new Error('outbox unavailable')),
    });
    world.faults.scope = (tx) => ({ outbox: failing(tx.outbox) });
    await expect(world.create.execute(OWNER, valid())).rejects.toThrow();
    world.faults.scope = undefined;
    expect(await world.count('listings')).toBe(0);
    expect(await world.count('indexing_queue')).toBe(0);
  });

  describe('who may create', () => {
    it('refuses an anonymous caller', async () => {
      expect((await caught(world.create.execute(undefined, valid())))?.code).toBe('UNAUTHENTICATED');
    });

    it("refuses a user creating another user's listing", async () => {
      const error = await caught(world.create.execute(STRANGER, { ...valid(), userId: 7 }));
      expect(error).toMatchObject({
        code: 'PERMISSION_DENIED',
        message: 'unauthorized: user does not own this listing',
      });
      expect(await world.count('listings')).toBe(0);
    });

    it('takes the owner from the token when the request names nobody', async () => {
      const { listing } = await world.create.execute(OWNER, { ...valid(), userId: 0 });
      expect(listing.userId).toBe(7);
    });

    it('lets admins and services create for a named user', async () => {
      expect((await world.create.execute(ADMIN, { ...valid(), userId: 9 })).listing.userId).toBe(9);
      expect((await world.create.execute(SERVICE, { ...valid(), userId: 10 })).listing.userId).toBe(10);
    });

    it('asks a service to name the user, with the original text', async () => {
      const error = await caught(world.create.execute(SERVICE, { ...valid(), userId: 0 }));
      expect(error?.violations).toContainEqual(
        expect.objectContaining({ field: 'user_id', message: 'user_id must be greater than 0' }),
      );
    });
  });

  describe('with an idempotency key', () => {
    const call = (key: string, requestHash: string) => ({
      key: { scope: 'listings.create', principal: 'user:7', key },
      requestHash,
    });

    it('answers a retry with the stored listing and creates one row', async () => {
      const first = await world.create.execute(OWNER, valid(), call('k-1', 'hash-a'));
      const retry = await world.create.execute(OWNER, valid(), call('k-1', 'hash-a'));
      expect(retry.replayed).toBe(true);
      expect(retry.listing).toEqual(first.listing);
      expect(await world.count('listings')).toBe(1);
      expect(await world.count('indexing_queue')).toBe(1);
    });

    it('refuses the same key with another request', async () => {
      await world.create.execute(OWNER, valid(), call('k-2', 'hash-a'));
      const error = await caught(world.create.execute(OWNER, { ...valid(), title: 'Other' }, call('k-2', 'hash-b')));
      expect(error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await world.count('listings')).toBe(1);
    });

    it('forgets the key of a failed request, so the client can retry it', async () => {
      const error = await caught(world.create.execute(OWNER, { ...valid(), categoryId: 999_999 }, call('k-3', 'h')));
      expect(error?.code).toBe('VALIDATION_FAILED');
      const { replayed } = await world.create.execute(OWNER, valid(), call('k-3', 'h2'));
      expect(replayed).toBe(false);
      expect(await world.count('listings')).toBe(1);
    });
  });
});
