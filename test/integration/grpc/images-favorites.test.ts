/** Image metadata and favorites RPCs end to end on PostgreSQL 15. */
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListingsClient } from '../../../adapters/grpc/client/index.ts';
import { ANONYMOUS, expectStatus, type GrpcWorld, OWNER, openGrpcWorld, STRANGER } from './support/harness.ts';

let world: GrpcWorld;
let owner: ListingsClient;
let stranger: ListingsClient;
let anonymous: ListingsClient;

beforeAll(async () => {
  world = await openGrpcWorld();
  owner = await world.as(OWNER);
  stranger = await world.as(STRANGER);
  anonymous = await world.as(ANONYMOUS);
});
afterAll(() => world?.close());

/** A listing of user 7, active unless `draft`. */
async function listing(options: { readonly draft?: boolean } = {}): Promise<number> {
  const { listing: created } = await owner.createListing({
    userId: 0,
    title: 'Road bike',
    price: 300,
    currency: 'EUR',
    categoryId: world.categories.bicycles!,
    quantity: 1,
  });
  if (!options.draft) await owner.updateListing({ id: created!.id, userId: 0, status: 'active' });
  return created!.id;
}

const image = (listingId: number, url: string, extra: { isPrimary?: boolean; displayOrder?: number } = {}) => ({
  listingId,
  url,
  displayOrder: extra.displayOrder ?? 0,
  isPrimary: extra.isPrimary ?? false,
});

describe('image RPCs', () => {
  it('adds metadata (the first image becomes primary), reads it back, lists primary first', async () => {
    const id = await listing();
    const { image: first } = await owner.addListingImage({
      ...image(id, 'https://img/1.jpg', { displayOrder: 2 }),
      width: 800,
      height: 600,
      fileSize: 12_345,
      mimeType: 'image/jpeg',
      storagePath: 'listings/1.jpg',
    });
    expect(first).toMatchObject({
      listingId: id,
      isPrimary: true,
      width: 800,
      fileSize: 12_345,
      mimeType: 'image/jpeg',
    });
    expect(first?.thumbnailUrl).toBeUndefined();
    const { image: second } = await owner.addListingImage(image(id, 'https://img/2.jpg', { displayOrder: 1 }));
    expect(second?.isPrimary).toBe(false);

    expect((await anonymous.getListingImage({ imageId: first!.id })).image).toEqual(first);
    const { images } = await anonymous.getListingImages({ listingId: id });
    expect(images.map((item) => item.id)).toEqual([first!.id, second!.id]);
  });

  it('validates the request with field details', async () => {
    const id = await listing();
    await expectStatus(owner.addListingImage(image(id, '')), status.INVALID_ARGUMENT, {
      violations: [{ field: 'url', description: 'url is required' }],
    });
    await expectStatus(
      owner.addListingImage({ ...image(id, 'https://x'), mimeType: 'text/plain', width: 0 }),
      status.INVALID_ARGUMENT,
      {
        violations: [{ field: 'mime_type' }, { field: 'width' }],
      },
    );
    await expectStatus(owner.getListingImage({ imageId: 0 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'image_id', description: 'image ID must be greater than 0' }],
    });
    await expectStatus(owner.getListingImages({ listingId: -5 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'listing_id', description: 'listing ID must be greater than 0' }],
    });
    await expectStatus(owner.deleteListingImage({ imageId: 0 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'image_id', description: 'image ID must be greater than 0' }],
    });
  });

  it('answers NOT_FOUND for missing images and listings, and for images of a hidden listing', async () => {
    await expectStatus(owner.getListingImage({ imageId: 987_654 }), status.NOT_FOUND, {
      message: 'image not found: 987654',
      reason: 'IMAGE_NOT_FOUND',
    });
    await expectStatus(owner.deleteListingImage({ imageId: 987_654 }), status.NOT_FOUND);
    await expectStatus(owner.getListingImages({ listingId: 987_654 }), status.NOT_FOUND);
    await expectStatus(owner.addListingImage(image(987_654, 'https://x')), status.NOT_FOUND);
    const draft = await listing({ draft: true });
    const { image: hidden } = await owner.addListingImage(image(draft, 'https://img/d.jpg'));
    await expectStatus(stranger.getListingImage({ imageId: hidden!.id }), status.NOT_FOUND);
  });

  it("refuses writes to another user's listing and anonymous writes", async () => {
    const id = await listing();
    const { image: added } = await owner.addListingImage(image(id, 'https://img/own.jpg'));
    await expectStatus(stranger.addListingImage(image(id, 'https://img/theirs.jpg')), status.PERMISSION_DENIED, {
      message: 'unauthorized: user does not own this listing',
    });
    await expectStatus(stranger.deleteListingImage({ imageId: added!.id }), status.PERMISSION_DENIED);
    await expectStatus(anonymous.addListingImage(image(id, 'https://img/anon.jpg')), status.UNAUTHENTICATED);
  });

  it('deletes an image and promotes the next one to primary', async () => {
    const id = await listing();
    const { image: first } = await owner.addListingImage(image(id, 'https://img/p.jpg'));
    const { image: second } = await owner.addListingImage(image(id, 'https://img/q.jpg'));
    expect(await owner.deleteListingImage({ imageId: first!.id })).toEqual({});
    await expectStatus(owner.getListingImage({ imageId: first!.id }), status.NOT_FOUND);
    const { images } = await owner.getListingImages({ listingId: id });
    expect(images).toEqual([{ ...second!, isPrimary: true, updatedAt: images[0]!.updatedAt }]);
  });
});

describe('favorite RPCs', () => {
  it('adds idempotently for the caller, counts, pages newest first, and removes idempotently', async () => {
    const a = await listing();
    const b = await listing();
    await stranger.addToFavorites({ userId: 0, listingId: a });
    await stranger.addToFavorites({ userId: 8, listingId: b });
    await stranger.addToFavorites({ userId: 0, listingId: b });
    expect((await stranger.isFavorite({ userId: 0, listingId: a })).isFavorite).toBe(true);
    expect((await owner.isFavorite({ userId: 0, listingId: a })).isFavorite).toBe(false);
    expect((await anonymous.getListing({ id: b })).listing?.favoritesCount).toBe(1);

    const page = await stranger.getUserFavorites({ userId: 0, limit: 1, offset: 0 });
    expect(page).toEqual({ listingIds: [b], total: 2 });
    expect((await stranger.getUserFavorites({ userId: 8, limit: 0, offset: 1 })).listingIds).toEqual([a]);
    expect((await owner.getFavoritedUsers({ listingId: a })).userIds).toEqual([8]);

    expect(await stranger.removeFromFavorites({ userId: 0, listingId: a })).toEqual({});
    expect(await stranger.removeFromFavorites({ userId: 0, listingId: a })).toEqual({});
    expect((await stranger.isFavorite({ userId: 0, listingId: a })).isFavorite).toBe(false);
  });

  it('validates ids and paging with field details', async () => {
    await expectStatus(stranger.addToFavorites({ userId: 0, listingId: 0 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'listing_id', description: 'listing ID must be greater than 0' }],
    });
    await expectStatus(stranger.getUserFavorites({ userId: 0, limit: 10, offset: -1 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'offset', description: 'offset cannot be negative' }],
    });
    await expectStatus(stranger.getFavoritedUsers({ listingId: 0 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'listing_id' }],
    });
    await expectStatus(stranger.removeFromFavorites({ userId: 0, listingId: -1 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'listing_id' }],
    });
    await expectStatus(stranger.isFavorite({ userId: 0, listingId: 0 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'listing_id' }],
    });
  });

  it('answers NOT_FOUND for missing or hidden listings', async () => {
    await expectStatus(stranger.addToFavorites({ userId: 0, listingId: 987_654 }), status.NOT_FOUND, {
      message: 'listing not found: 987654',
    });
    const draft = await listing({ draft: true });
    await expectStatus(stranger.addToFavorites({ userId: 0, listingId: draft }), status.NOT_FOUND);
    await expectStatus(owner.getFavoritedUsers({ listingId: 987_654 }), status.NOT_FOUND);
  });

  it("checks the user against the token: another user's favorites are PERMISSION_DENIED", async () => {
    const id = await listing();
    await expectStatus(stranger.addToFavorites({ userId: 7, listingId: id }), status.PERMISSION_DENIED);
    await expectStatus(stranger.removeFromFavorites({ userId: 7, listingId: id }), status.PERMISSION_DENIED);
    await expectStatus(stranger.getUserFavorites({ userId: 7, limit: 10, offset: 0 }), status.PERMISSION_DENIED);
    await expectStatus(stranger.isFavorite({ userId: 7, listingId: id }), status.PERMISSION_DENIED);
    await expectStatus(stranger.getFavoritedUsers({ listingId: id }), status.PERMISSION_DENIED);
    await expectStatus(anonymous.addToFavorites({ userId: 0, listingId: id }), status.UNAUTHENTICATED);
  });
});
