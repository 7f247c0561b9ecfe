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

describe('favorites on the SQL adapters', () => {
  it('adds and removes idempotently, keeps favorites_count, enqueues and refreshes the cached listing', async () => {
    const listing = await world.newListingWithStatus('active');
    await world.get.execute(STRANGER, { id: listing.id });
    await world.reset({ keepRows: true });
    expect(await world.changeFavorite.add(STRANGER, { listingId: listing.id })).toEqual({ added: true });
    expect(await world.changeFavorite.add(STRANGER, { listingId: listing.id })).toEqual({ added: false });
    expect((await world.get.execute(STRANGER, { id: listing.id })).favoritesCount).toBe(1);
    expect(await world.outbox()).toEqual([{ listing_id: listing.id, operation: 'update', status: 'pending' }]);
    expect(await world.favoriteQueries.isFavorite(STRANGER, { listingId: listing.id })).toBe(true);
    expect(await world.changeFavorite.remove(STRANGER, { listingId: listing.id })).toEqual({ removed: true });
    expect(await world.changeFavorite.remove(STRANGER, { listingId: listing.id })).toEqual({ removed: false });
    expect((await world.get.execute(STRANGER, { id: listing.id })).favoritesCount).toBe(0);
    expect(await world.favoriteQueries.isFavorite(STRANGER, { listingId: listing.id })).toBe(false);
  });

  it('refuses a missing, deleted or hidden listing', async () => {
    expect((await caught(world.changeFavorite.add(STRANGER, { listingId: 999_999 })))?.code).toBe('LISTING_NOT_FOUND');
    const draft = await world.newListing();
    expect((await caught(world.changeFavorite.add(STRANGER, { listingId: draft.id })))?.code).toBe('LISTING_NOT_FOUND');
    const gone = await world.newListingWithStatus('active');
    await world.remove.execute(OWNER, { id: gone.id });
    expect((await caught(world.changeFavorite.add(STRANGER, { listingId: gone.id })))?.code).toBe('LISTING_NOT_FOUND');
    expect(await world.count('c2c_favorites')).toBe(0);
  });

  it('acts for the caller only, unless admin or service', async () => {
    const listing = await world.newListingWithStatus('active');
    expect((await caught(world.changeFavorite.add(STRANGER, { userId: 9, listingId: listing.id })))?.code).toBe(
      'PERMISSION_DENIED',
    );
    expect((await caught(world.changeFavorite.add(undefined, { listingId: listing.id })))?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect(await world.changeFavorite.add(SERVICE, { userId: 9, listingId: listing.id })).toEqual({ added: true });
    expect(await world.favoriteQueries.isFavorite(ADMIN, { userId: 9, listingId: listing.id })).toBe(true);
  });

  it("pages a user's favorites newest first, with the total (flaw #30)", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const listing = await world.newListingWithStatus('active');
      world.clock.advance(1000);
      await world.changeFavorite.add(STRANGER, { listingId: listing.id });
      ids.push(listing.id);
    }
    const first = await world.favoriteQueries.userFavorites(STRANGER, { limit: 2 });
    const second = await world.favoriteQueries.userFavorites(STRANGER, { limit: 2, offset: 2 });
    const third = await world.favoriteQueries.userFavorites(STRANGER, { limit: 2, offset: 4 });
    expect([...first.listingIds, ...second.listingIds, ...third.listingIds]).toEqual([...ids].reverse());
    expect(first.total).toBe(5);
    expect((await world.favoriteQueries.userFavorites(STRANGER, { limit: 0 })).limit).toBe(20);
    expect((await caught(world.favoriteQueries.userFavorites(STRANGER, { offset: -1 })))?.message).toBe(
      'offset cannot be negative',
    );
  });

  it('shows who favorited a listing to its owner only', async () => {
    const listing = await world.newListingWithStatus('active');
    await world.changeFavorite.add(user(12), { listingId: listing.id });
    await world.changeFavorite.add(user(11), { listingId: listing.id });
    expect(await world.favoriteQueries.favoritedUsers(OWNER, { listingId: listing.id })).toEqual([11, 12]);
    expect((await caught(world.favoriteQueries.favoritedUsers(STRANGER, { listingId: listing.id })))?.code).toBe(
      'PERMISSION_DENIED',
    );
  });
});

describe('image metadata on the SQL adapters', () => {
  const image = (listingId: number, extra: object = {}) => ({ listingId, url: 'https://cdn/img.jpg', ...extra });

  it('adds (first one primary), lists primary first, sets primary, deletes with promotion; each write enqueued', async () => {
    const listing = await world.newListingWithStatus('active');
    await world.reset({ keepRows: true });
    const a = await world.changeImages.add(OWNER, image(listing.id, { displayOrder: 2 }));
    const b = await world.changeImages.add(OWNER, image(listing.id, { displayOrder: 1 }));
    expect(a.isPrimary).toBe(true);
    expect(b.isPrimary).toBe(false);
    expect((await world.imageQueries.list(undefined, { listingId: listing.id })).map((row) => row.id)).toEqual([
      a.id,
      b.id,
    ]);
    expect(await world.outbox()).toEqual([{ listing_id: listing.id, operation: 'update', status: 'pending' }]);

    const reordered = await world.changeImages.setPrimary(OWNER, { imageId: b.id });
    expect(reordered.map((row) => [row.id, row.isPrimary])).toEqual([
      [b.id, true],
      [a.id, false],
    ]);
    expect((await world.get.execute(undefined, { id: listing.id })).images.map((row) => row.id)).toEqual([b.id, a.id]);

    await world.changeImages.delete(OWNER, { imageId: b.id });
    expect(await world.imageQueries.get(undefined, { imageId: a.id })).toMatchObject({ isPrimary: true });
    expect((await world.get.execute(undefined, { id: listing.id })).images.map((row) => row.id)).toEqual([a.id]);
  });

  it('requires the url, the owner (or an admin), and answers IMAGE_NOT_FOUND for a missing image', async () => {
    const listing = await world.newListingWithStatus('active');
    expect((await caught(world.changeImages.add(OWNER, image(listing.id, { url: '' }))))?.message).toBe(
      'url is required',
    );
    expect((await caught(world.changeImages.add(STRANGER, image(listing.id))))?.code).toBe('PERMISSION_DENIED');
    expect((await world.changeImages.add(ADMIN, image(listing.id))).listingId).toBe(listing.id);
    expect(await caught(world.changeImages.delete(OWNER, { imageId: 999_999 }))).toMatchObject({
      code: 'IMAGE_NOT_FOUND',
      message: 'image not found: 999999',
    });
    expect((await caught(world.imageQueries.get(undefined, { imageId: 999_999 })))?.code).toBe('IMAGE_NOT_FOUND');
    expect(await world.count('listing_images')).toBe(1);
  });

  it("hides a hidden listing's images from strangers", async () => {
    const draft = await world.newListing();
    const added = await world.changeImages.add(OWNER, image(draft.id));
    expect((await caught(world.imageQueries.get(STRANGER, { imageId: added.id })))?.code).toBe('IMAGE_NOT_FOUND');
    expect((await caught(world.imageQueries.list(STRANGER, { listingId: draft.id })))?.code).toBe('LISTING_NOT_FOUND');
    expect((await world.imageQueries.list(OWNER, { listingId: draft.id })).length).toBe(1);
  });
});
