import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../../../src/domain/errors.ts';
import { openWorld, type World } from './fixture.ts';
import { OWNER, STRANGER } from './principals.ts';

/** The races need a real server: PGlite runs one statement at a time. */
describe('listing use cases under concurrency, on PostgreSQL', () => {
  let world: World;
  beforeAll(async () => {
    world = await openWorld({ kind: 'postgres' });
  });
  afterAll(() => world?.dispose());
  beforeEach(() => world.reset());

  it('1000 concurrent GetListing misses of one listing make one repository read', async () => {
    const listing = await world.newListingWithStatus('active');
    await world.reset({ keepRows: true });
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => world.get.execute(undefined, { id: listing.id })),
    );
    expect(world.reads.findById).toBe(1);
    expect(new Set(results.map((row) => row.version))).toEqual(new Set([2]));
  });

  it('two writers with the same expected version: one wins, the other gets VERSION_CONFLICT', async () => {
    const listing = await world.newListing();
    const outcomes = await Promise.allSettled([
      world.update.execute(OWNER, { id: listing.id, title: 'Writer A', expectedVersion: 1 }),
      world.update.execute(OWNER, { id: listing.id, title: 'Writer B', expectedVersion: 1 }),
    ]);
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as AppError] : []));
    expect(won).toHaveLength(1);
    expect(lost.map((error) => error.code)).toEqual(['VERSION_CONFLICT']);
    const row = await world.row(listing.id);
    expect(row.version).toBe(2);
  });

  it('concurrent writers without an expected version queue on the row lock: no write is lost', async () => {
    const listing = await world.newListing();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => world.update.execute(OWNER, { id: listing.id, title: `Writer ${i}` })),
    );
    expect((await world.row(listing.id)).version).toBe(11);
  });

  it('concurrent retries with one idempotency key create one listing and all get it', async () => {
    const call = { key: { scope: 'listings.create', principal: 'user:7', key: 'race' }, requestHash: 'h' };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => world.create.execute(OWNER, world.listingInput(), call)),
    );
    expect(new Set(results.map((result) => result.listing.id)).size).toBe(1);
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    expect(await world.count('listings')).toBe(1);
  });

  it('concurrent adds of one favorite count once', async () => {
    const listing = await world.newListingWithStatus('active');
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => world.changeFavorite.add(STRANGER, { listingId: listing.id })),
    );
    expect(outcomes.filter((outcome) => outcome.added)).toHaveLength(1);
    expect((await world.row(listing.id)).favoritesCount).toBe(1);
  });
});
