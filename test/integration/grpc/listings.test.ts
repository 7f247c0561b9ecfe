/** Listing RPCs end to end: client → server → handlers → use cases → PostgreSQL 15, and back. */
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListingsClient } from '../../../adapters/grpc/client/index.ts';
import type { CreateListingRequest } from '../../../adapters/grpc/generated/listings/v1/listings.ts';
import { ADMIN, ANONYMOUS, expectStatus, type GrpcWorld, OWNER, openGrpcWorld, STRANGER } from './support/harness.ts';

const RFC3339_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

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

function request(overrides: Partial<CreateListingRequest> = {}): CreateListingRequest {
  return {
    userId: 0,
    title: 'Mountain bike',
    description: 'Barely used',
    price: 199.99,
    currency: 'RSD',
    categoryId: world.categories.bicycles!,
    quantity: 1,
    ...overrides,
  };
}

async function newListing(overrides: Partial<CreateListingRequest> = {}) {
  const { listing } = await owner.createListing(request(overrides));
  return listing!;
}

describe('CreateListing', () => {
  it('answers with the stored row: owner from the token, draft, c2c, RFC 3339 times', async () => {
    const listing = await newListing({ sku: 'BIKE-1', quantity: 0 });
    expect(listing).toMatchObject({
      userId: 7,
      title: 'Mountain bike',
      description: 'Barely used',
      price: 199.99,
      currency: 'RSD',
      status: 'draft',
      visibility: 'public',
      quantity: 0,
      sku: 'BIKE-1',
      viewsCount: 0,
      favoritesCount: 0,
      isDeleted: false,
      images: [],
      tags: [],
    });
    expect(listing.id).toBeGreaterThan(0);
    expect(listing.storefrontId).toBeUndefined();
    expect(listing.createdAt).toMatch(RFC3339_SECONDS);
    expect(listing.publishedAt).toBeUndefined();
    const row = await world.knex('listings').where({ id: listing.id }).first();
    expect(row).toMatchObject({ user_id: 7, source_type: 'c2c', price: '199.99' });
  });

  it('reports every invalid field at once, with BadRequest details, and writes nothing', async () => {
    const before = await world.count('listings');
    const error = await expectStatus(
      owner.createListing(request({ title: 'ab', price: 10.001, currency: 'RS', quantity: -1 })),
      status.INVALID_ARGUMENT,
      {
        reason: 'VALIDATION_FAILED',
        violations: [
          { field: 'title', description: 'title must be at least 3 characters' },
          { field: 'price', description: 'price must have at most 2 decimal places' },
          { field: 'currency' },
          { field: 'quantity', description: 'quantity cannot be negative' },
        ],
      },
    );
    expect(error.statusDetails?.domain).toBe('listings.v1');
    expect(await world.count('listings')).toBe(before);
  });

  it('says `category not found` for an unknown category, and rejects a present storefront_id 0', async () => {
    await expectStatus(owner.createListing(request({ categoryId: 999_999 })), status.INVALID_ARGUMENT, {
      violations: [{ field: 'category_id', description: 'category not found' }],
    });
    await expectStatus(owner.createListing(request({ storefrontId: 0 })), status.INVALID_ARGUMENT, {
      violations: [{ field: 'storefront_id' }],
    });
  });

  it("refuses another user's id, a storefront of another user, and anonymous callers", async () => {
    await expectStatus(owner.createListing(request({ userId: 8 })), status.PERMISSION_DENIED, {
      message: 'unauthorized: user does not own this listing',
    });
    const theirs = await world.addStorefront(8);
    await expectStatus(owner.createListing(request({ storefrontId: theirs })), status.PERMISSION_DENIED);
    await expectStatus(anonymous.createListing(request()), status.UNAUTHENTICATED);
  });

  it('creates a b2c row in the caller own storefront, and an admin may act for another user', async () => {
    const shop = await world.addStorefront(7);
    expect(await newListing({ storefrontId: shop })).toMatchObject({ storefrontId: shop, userId: 7 });
    const admin = await world.as(ADMIN);
    const { listing } = await admin.createListing(request({ userId: 8 }));
    expect(listing?.userId).toBe(8);
  });

  it('replays a retry with the same idempotency-key and refuses the key with another request', async () => {
    const options = { metadata: { 'idempotency-key': `create-${Date.now()}` } };
    const first = await owner.createListing(request({ title: 'Idempotent bike' }), options);
    const again = await owner.createListing(request({ title: 'Idempotent bike' }), options);
    expect(again.listing?.id).toBe(first.listing?.id);
    expect(await world.count('listings', { title: 'Idempotent bike' })).toBe(1);
    await expectStatus(owner.createListing(request({ title: 'Another bike' }), options), status.FAILED_PRECONDITION, {
      reason: 'IDEMPOTENCY_KEY_REUSED',
    });
    const bad = { metadata: { 'idempotency-key': 'has space' } };
    await expectStatus(owner.createListing(request(), bad), status.INVALID_ARGUMENT, {
      violations: [{ field: 'idempotency-key' }],
    });
  });
});

describe('GetListing', () => {
  it('shows a draft to its owner and hides it from others as NOT_FOUND', async () => {
    const listing = await newListing();
    const { listing: read } = await owner.getListing({ id: listing.id });
    expect(read).toEqual(listing);
    await expectStatus(stranger.getListing({ id: listing.id }), status.NOT_FOUND, {
      message: `listing not found: ${listing.id}`,
      reason: 'LISTING_NOT_FOUND',
    });
    await expectStatus(anonymous.getListing({ id: listing.id }), status.NOT_FOUND);
  });

  it('serves an active listing to anyone, with its images and published_at', async () => {
    const listing = await newListing();
    await owner.addListingImage({ listingId: listing.id, url: 'https://img/a.jpg', displayOrder: 0, isPrimary: false });
    await owner.updateListing({ id: listing.id, userId: 0, status: 'active' });
    const { listing: read } = await anonymous.getListing({ id: listing.id });
    expect(read?.status).toBe('active');
    expect(read?.publishedAt).toMatch(RFC3339_SECONDS);
    expect(read?.images).toHaveLength(1);
    expect(read?.images[0]).toMatchObject({ url: 'https://img/a.jpg', isPrimary: true, listingId: listing.id });
  });

  it('rejects id 0 with a field violation, and a missing id with NOT_FOUND', async () => {
    await expectStatus(owner.getListing({ id: 0 }), status.INVALID_ARGUMENT, {
      message: 'listing ID must be greater than 0',
      violations: [{ field: 'id', description: 'listing ID must be greater than 0' }],
    });
    await expectStatus(owner.getListing({ id: 987_654_321 }), status.NOT_FOUND, {
      message: 'listing not found: 987654321',
    });
  });
});

describe('UpdateListing', () => {
  it('applies only the present fields; quantity 0 is a value; active stamps published_at', async () => {
    const listing = await newListing({ quantity: 3 });
    const { listing: updated } = await owner.updateListing({
      id: listing.id,
      userId: 7,
      quantity: 0,
      status: 'active',
    });
    expect(updated).toMatchObject({ quantity: 0, status: 'active', title: listing.title, price: listing.price });
    expect(updated?.publishedAt).toMatch(RFC3339_SECONDS);
  });

  it('validates: empty update, bad price, unknown status', async () => {
    const listing = await newListing();
    await expectStatus(owner.updateListing({ id: listing.id, userId: 0 }), status.INVALID_ARGUMENT, {
      message: 'at least one field must be provided for update',
    });
    await expectStatus(owner.updateListing({ id: listing.id, userId: 0, price: 5.555 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'price', description: 'price must have at most 2 decimal places' }],
    });
    await expectStatus(owner.updateListing({ id: listing.id, userId: 0, status: 'gone' }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'status', description: 'invalid status: gone' }],
    });
  });

  it('checks ownership against the token, not the request', async () => {
    const listing = await newListing();
    await expectStatus(
      stranger.updateListing({ id: listing.id, userId: 0, title: 'Mine now' }),
      status.PERMISSION_DENIED,
      {
        message: 'unauthorized: user does not own this listing',
      },
    );
    await expectStatus(
      stranger.updateListing({ id: listing.id, userId: 7, title: 'Mine now' }),
      status.PERMISSION_DENIED,
    );
    await expectStatus(owner.updateListing({ id: 987_654_321, userId: 0, title: 'Nothing' }), status.NOT_FOUND);
  });
});

describe('DeleteListing', () => {
  it('soft-deletes for the owner only; afterwards the listing is NOT_FOUND', async () => {
    const listing = await newListing();
    await expectStatus(stranger.deleteListing({ id: listing.id, userId: 0 }), status.PERMISSION_DENIED);
    expect(await owner.deleteListing({ id: listing.id, userId: 0 })).toEqual({ success: true });
    await expectStatus(owner.getListing({ id: listing.id }), status.NOT_FOUND);
    await expectStatus(owner.deleteListing({ id: listing.id, userId: 0 }), status.NOT_FOUND);
    await expectStatus(owner.deleteListing({ id: -1, userId: 0 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'id', description: 'listing ID must be greater than 0' }],
    });
    const row = await world.knex('listings').where({ id: listing.id }).first();
    expect(row.is_deleted).toBe(true);
    expect(row.deleted_at).not.toBeNull();
  });
});

describe('ListListings', () => {
  it('lists the owner drafts to the owner, only active ones to others, with the total of all matches', async () => {
    const ownerId = 7_001;
    const client = await world.as({ sub: String(ownerId) });
    const create = (title: string) =>
      client.createListing({ ...request({ title }), userId: 0 }).then((answer) => answer.listing!);
    const draft = await create('Draft bike');
    const live = await create('Live bike');
    await client.updateListing({ id: live.id, userId: 0, status: 'active' });

    const mine = await client.listListings({ userId: ownerId, limit: 10, offset: 0 });
    expect(mine.total).toBe(2);
    expect(mine.listings.map((listing) => listing.id)).toEqual([live.id, draft.id]);
    const theirs = await anonymous.listListings({ userId: ownerId, limit: 10, offset: 0 });
    expect(theirs.listings.map((listing) => listing.id)).toEqual([live.id]);
    expect(theirs.total).toBe(1);
    const page = await client.listListings({ userId: ownerId, limit: 1, offset: 1 });
    expect(page.listings.map((listing) => listing.id)).toEqual([draft.id]);
  });

  it("rejects the original's bad paging with field violations", async () => {
    await expectStatus(owner.listListings({ limit: 0, offset: 0 }), status.INVALID_ARGUMENT, {
      violations: [{ field: 'limit', description: 'limit must be greater than 0' }],
    });
    await expectStatus(owner.listListings({ limit: 101, offset: -1 }), status.INVALID_ARGUMENT, {
      violations: [
        { field: 'limit', description: 'limit must not exceed 100' },
        { field: 'offset', description: 'offset cannot be negative' },
      ],
    });
    await expectStatus(
      owner.listListings({ limit: 5, offset: 0, minPrice: 10, maxPrice: 5 }),
      status.INVALID_ARGUMENT,
      {
        violations: [{ field: 'min_price', description: 'min_price cannot be greater than max_price' }],
      },
    );
  });

  it('does not treat a missing authorization as a principal: a bad token is UNAUTHENTICATED', async () => {
    await expectStatus(
      anonymous.listListings({ limit: 5, offset: 0 }, { metadata: { authorization: 'Bearer x.y.z' } }),
      status.UNAUTHENTICATED,
    );
  });
});
