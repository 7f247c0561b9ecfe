import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../../../src/domain/errors.ts';
import { openWorld, type World } from './fixture.ts';
import { ADMIN, OWNER, SERVICE, STRANGER, user } from './principals.ts';

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

describe('ListListings on the SQL adapters', () => {
  it.each<[string, object, string]>([
    ['limit 0', { limit: 0, offset: 0 }, 'limit must be greater than 0'],
    ['limit 101', { limit: 101, offset: 0 }, 'limit must not exceed 100'],
    ['a negative offset', { limit: 10, offset: -1 }, 'offset cannot be negative'],
    [
      'min above max',
      { limit: 10, offset: 0, minPrice: 20, maxPrice: 10 },
      'min_price cannot be greater than max_price',
    ],
    ['an unknown status', { limit: 10, offset: 0, status: 'gone' }, 'invalid status: gone'],
    ['a cursor with an offset', { limit: 10, offset: 5, cursor: 'abc' }, 'offset must be 0 when a cursor is given'],
    ['a forged cursor', { limit: 10, offset: 0, cursor: 'abc' }, 'cursor is invalid or belongs to another query'],
  ])('rejects %s with the original text', async (_, request, message) => {
    const error = await caught(world.list.execute(ADMIN, request as never));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', message });
  });

  it('pages by offset, newest first, with the total of all matches', async () => {
    const ids = await world.manyListings(OWNER, 5);
    const page = await world.list.execute(OWNER, { userId: 7, limit: 2, offset: 2 });
    expect(page.total).toBe(5);
    expect(page.listings.map((listing) => listing.id)).toEqual([ids[2], ids[1]]);
    expect(page.nextCursor).not.toBeNull();
  });

  it('walks keyset pages without duplicates or gaps, even when rows are added meanwhile', async () => {
    const ids = await world.manyListings(OWNER, 23, { sameInstant: 5 });
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<World['list']['execute']>> = await world.list.execute(OWNER, {
        userId: 7,
        limit: 5,
        offset: 0,
        cursor,
      });
      seen.push(...page.listings.map((listing) => listing.id));
      cursor = page.nextCursor;
      if (pages++ === 1) await world.manyListings(OWNER, 3); // newer rows: before the cursor, never on later pages
    } while (cursor !== null && pages < 20);
    expect(seen).toEqual([...ids].reverse());
  });

  it('refuses a cursor replayed against other filters', async () => {
    await world.manyListings(OWNER, 3);
    const page = await world.list.execute(OWNER, { userId: 7, limit: 1, offset: 0 });
    const error = await caught(world.list.execute(OWNER, { userId: 8, limit: 1, offset: 0, cursor: page.nextCursor }));
    expect(error?.code).toBe('VALIDATION_FAILED');
  });

  it('filters by category, status and price', async () => {
    const cheap = await world.newListing({ price: 5 });
    await world.newListing({ price: 50 });
    const other = await world.newListing({ price: 5, categoryId: world.categories.furniture });
    const page = await world.list.execute(ADMIN, {
      categoryId: world.categories.bicycles,
      maxPrice: 10,
      status: 'draft',
      limit: 10,
      offset: 0,
    });
    expect(page.listings.map((listing) => listing.id)).toEqual([cheap.id]);
    expect(page.total).toBe(1);
    expect(other.id).not.toBe(cheap.id);
  });

  it('shows strangers only active public listings, and owners all of their own', async () => {
    const draft = await world.newListing();
    const live = await world.newListingWithStatus('active');
    const hidden = await world.newListingWithStatus('active', { visibility: 'private' });
    const ids = async (caller: Parameters<World['list']['execute']>[0], status?: string) =>
      (await world.list.execute(caller, { userId: 7, limit: 10, offset: 0, status })).listings.map((row) => row.id);
    expect(await ids(OWNER)).toEqual([hidden.id, live.id, draft.id]);
    expect(await ids(ADMIN)).toEqual([hidden.id, live.id, draft.id]);
    expect(await ids(STRANGER)).toEqual([live.id]);
    expect(await ids(undefined)).toEqual([live.id]);
    expect(await ids(undefined, 'draft')).toEqual([]);
  });
});

describe('GetListingsForReindex on the SQL adapters', () => {
  it('walks searchable listings by id with next_cursor, for services only', async () => {
    const active = [];
    for (let i = 0; i < 5; i++) active.push((await world.newListingWithStatus('active')).id);
    await world.newListing(); // a draft: not searchable
    const deleted = await world.newListingWithStatus('active');
    await world.remove.execute(OWNER, { id: deleted.id });
    const seen: number[] = [];
    let lastId: number | null = null;
    do {
      const batch: Awaited<ReturnType<World['reindex']['execute']>> = await world.reindex.execute(SERVICE, {
        batchSize: 2,
        lastId,
      });
      expect(batch.total).toBe(batch.listings.length);
      seen.push(...batch.listings.map((listing) => listing.id));
      lastId = batch.nextCursor;
    } while (lastId !== null);
    expect(seen).toEqual(active);
    expect((await caught(world.reindex.execute(user(7), {})))?.code).toBe('PERMISSION_DENIED');
    expect((await caught(world.reindex.execute(undefined, {})))?.code).toBe('UNAUTHENTICATED');
  });
});
