import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../../../src/domain/errors.ts';
import type { ListingStatus } from '../../../../src/domain/listing-status.ts';
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

describe('UpdateListing on the SQL adapters', () => {
  it('changes the present fields, raises the version and enqueues `update` with it', async () => {
    const created = await world.newListing();
    const { listing, changed } = await world.update.execute(OWNER, { id: created.id, title: 'New title', price: 10 });
    expect(changed).toBe(true);
    expect(listing).toMatchObject({ title: 'New title', price: 1000, version: 2, description: created.description });
    expect(await world.outbox()).toEqual([{ listing_id: created.id, operation: 'update', status: 'pending' }]);
    expect(await world.outboxVersion(created.id)).toBe(2);
    expect(world.metrics.events).toContain('listing:updated');
  });

  it('orphans cached search results when a searchable listing changes, not for a draft', async () => {
    const searchGeneration = () => world.cache.generation('search');
    const draft = await world.newListing();
    const before = await searchGeneration();
    await world.update.execute(OWNER, { id: draft.id, title: 'Draft renamed' });
    expect(await searchGeneration()).toBe(before);
    await world.status.publish(OWNER, { id: draft.id });
    const published = await searchGeneration();
    expect(published).toBeGreaterThan(before!);
    await world.remove.execute(OWNER, { id: draft.id });
    expect(await searchGeneration()).toBeGreaterThan(published!);
  });

  it('writes nothing when every present field already has its value', async () => {
    const created = await world.newListing();
    const { listing, changed } = await world.update.execute(OWNER, { id: created.id, title: created.title });
    expect(changed).toBe(false);
    expect(listing.version).toBe(1);
  });

  it.each<[string, object, string]>([
    ['no field', {}, 'at least one field must be provided for update'],
    ['an empty title', { title: ' ' }, 'title cannot be empty'],
    ['an unknown status', { status: 'gone' }, 'invalid status: gone'],
    ['a zero price', { price: 0 }, 'price must be greater than 0'],
  ])('rejects %s and writes nothing', async (_, change, message) => {
    const created = await world.newListing();
    const error = await caught(world.update.execute(OWNER, { id: created.id, ...change }));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', message });
    expect((await world.row(created.id)).version).toBe(1);
    expect(await world.count('indexing_queue', { operation: 'update' })).toBe(0);
  });

  it('refuses an unknown category with `category not found`', async () => {
    const created = await world.newListing();
    const error = await caught(world.update.execute(OWNER, { id: created.id, categoryId: 999_999 }));
    expect(error?.violations).toContainEqual(expect.objectContaining({ message: 'category not found' }));
  });

  it('answers LISTING_NOT_FOUND for a missing or deleted listing', async () => {
    expect((await caught(world.update.execute(OWNER, { id: 999_999, title: 'Title' })))?.code).toBe(
      'LISTING_NOT_FOUND',
    );
    const created = await world.newListing();
    await world.remove.execute(OWNER, { id: created.id });
    expect((await caught(world.update.execute(OWNER, { id: created.id, title: 'Title' })))?.code).toBe(
      'LISTING_NOT_FOUND',
    );
  });

  describe('status transitions', () => {
    const allowed: [ListingStatus, ListingStatus][] = [
      ['draft', 'active'],
      ['draft', 'archived'],
      ['active', 'inactive'],
      ['active', 'sold'],
      ['active', 'archived'],
      ['inactive', 'active'],
      ['sold', 'active'],
    ];
    const forbidden: [ListingStatus, ListingStatus][] = [
      ['draft', 'inactive'],
      ['draft', 'sold'],
      ['active', 'draft'],
      ['archived', 'active'],
      ['archived', 'draft'],
      ['sold', 'inactive'],
    ];

    it.each(allowed)('allows %s → %s', async (from, to) => {
      const listing = await world.newListingWithStatus(from);
      const { listing: updated } = await world.update.execute(OWNER, { id: listing.id, status: to });
      expect(updated.status).toBe(to);
    });

    it.each(forbidden)('refuses %s → %s with INVALID_STATE and writes nothing', async (from, to) => {
      const listing = await world.newListingWithStatus(from);
      const error = await caught(world.update.execute(OWNER, { id: listing.id, status: to }));
      expect(error).toMatchObject({ code: 'INVALID_STATE', reason: 'listings.invalid_status_transition' });
      expect((await world.row(listing.id)).status).toBe(from);
    });

    it('stamps published_at on each move into active, not when already active', async () => {
      const listing = await world.newListing();
      world.clock.set(new Date('2026-01-01T10:00:00Z'));
      const published = await world.status.publish(OWNER, { id: listing.id });
      expect(published.listing.publishedAt).toEqual(new Date('2026-01-01T10:00:00Z'));
      world.clock.set(new Date('2026-01-02T10:00:00Z'));
      const again = await world.status.publish(OWNER, { id: listing.id });
      expect(again.changed).toBe(false);
      expect(again.listing.publishedAt).toEqual(new Date('2026-01-01T10:00:00Z'));
      await world.status.unpublish(OWNER, { id: listing.id });
      world.clock.set(new Date('2026-01-03T10:00:00Z'));
      const relisted = await world.status.publish(OWNER, { id: listing.id });
      expect(relisted.listing.publishedAt).toEqual(new Date('2026-01-03T10:00:00Z'));
    });

    it('refuses to unpublish a draft', async () => {
      const listing = await world.newListing();
      expect((await caught(world.status.unpublish(OWNER, { id: listing.id })))?.code).toBe('INVALID_STATE');
    });
  });

  describe('optimistic concurrency', () => {
    it('refuses a stale expected version with VERSION_CONFLICT and keeps the newer write', async () => {
      const listing = await world.newListing();
      await world.update.execute(OWNER, { id: listing.id, title: 'First writer', expectedVersion: 1 });
      const error = await caught(
        world.update.execute(OWNER, { id: listing.id, title: 'Second writer', expectedVersion: 1 }),
      );
      expect(error).toMatchObject({ code: 'VERSION_CONFLICT', details: { expected: 1, actual: 2 } });
      expect((await world.row(listing.id)).title).toBe('First writer');
    });

    it('applies the current version', async () => {
      const listing = await world.newListing();
      const { listing: updated } = await world.update.execute(OWNER, { id: listing.id, price: 5, expectedVersion: 1 });
      expect(updated.version).toBe(2);
    });

    it('rejects a nonsensical expected version', async () => {
      const listing = await world.newListing();
      const error = await caught(world.update.execute(OWNER, { id: listing.id, price: 5, expectedVersion: 0 }));
      expect(error?.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('who may write', () => {
    it('lets the owner, an admin and a service update', async () => {
      const listing = await world.newListing();
      for (const [caller, title] of [
        [OWNER, 'By owner'],
        [ADMIN, 'By admin'],
        [SERVICE, 'By service'],
      ] as const) {
        expect((await world.update.execute(caller, { id: listing.id, title })).listing.title).toBe(title);
      }
    });

    it('refuses another user with the original text, and an anonymous caller', async () => {
      const listing = await world.newListing();
      expect(await caught(world.update.execute(STRANGER, { id: listing.id, title: 'Mine now' }))).toMatchObject({
        code: 'PERMISSION_DENIED',
        message: 'unauthorized: user does not own this listing',
      });
      expect((await caught(world.update.execute(undefined, { id: listing.id, title: 'Anon' })))?.code).toBe(
        'UNAUTHENTICATED',
      );
      expect(await caught(world.remove.execute(STRANGER, { id: listing.id }))).toMatchObject({
        code: 'PERMISSION_DENIED',
      });
      expect((await world.row(listing.id)).title).toBe(listing.title);
    });

    it('refuses a user who claims another user_id in the request', async () => {
      const listing = await world.newListing();
      const error = await caught(world.update.execute(STRANGER, { id: listing.id, userId: 7, title: 'Claimed' }));
      expect(error?.code).toBe('PERMISSION_DENIED');
    });
  });
});

describe('DeleteListing on the SQL adapters', () => {
  it('soft-deletes (is_deleted and deleted_at together) and enqueues `delete`', async () => {
    const listing = await world.newListing();
    const deleted = await world.remove.execute(OWNER, { id: listing.id });
    expect(deleted).toMatchObject({ isDeleted: true, version: 2 });
    const row = await world.row(listing.id);
    expect(row.isDeleted).toBe(true);
    expect(row.deletedAt).not.toBeNull();
    expect(await world.outbox()).toEqual([{ listing_id: listing.id, operation: 'delete', status: 'pending' }]);
    expect(world.metrics.events).toContain('listing:deleted');
    expect((await caught(world.remove.execute(OWNER, { id: listing.id })))?.code).toBe('LISTING_NOT_FOUND');
  });

  it('refuses a stale expected version', async () => {
    const listing = await world.newListing();
    await world.update.execute(OWNER, { id: listing.id, title: 'Changed' });
    expect((await caught(world.remove.execute(OWNER, { id: listing.id, expectedVersion: 1 })))?.code).toBe(
      'VERSION_CONFLICT',
    );
    expect((await world.row(listing.id)).isDeleted).toBe(false);
  });
});
