import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Cache } from '../../../../ports/cache.ts';
import type { AppError } from '../../../../src/domain/errors.ts';
import type { Visibility } from '../../../../src/domain/listing-status.ts';
import { openWorld, type World } from './fixture.ts';
import { ADMIN, OWNER, SERVICE, STRANGER } from './principals.ts';

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as AppError,
  );

describe('GetListing on the SQL adapters, through the cache', () => {
  let world: World;
  beforeAll(async () => {
    world = await openWorld();
  });
  afterAll(() => world?.dispose());
  beforeEach(() => world.reset());

  it('reads a listing with its side rows, then serves it from the cache', async () => {
    const created = await world.newListingWithStatus('active');
    const first = await world.get.execute(undefined, { id: created.id });
    const second = await world.get.execute(undefined, { id: created.id });
    expect(second).toEqual(first);
    expect(first).toMatchObject({ id: created.id, images: [], tags: [], attributeEntries: [], location: null });
    expect(world.reads.findById).toBe(1);
    expect(world.metrics.events.filter((event) => event.startsWith('listing:'))).toEqual([
      'listing:created',
      'listing:updated',
      'listing:miss',
      'listing:hit',
    ]);
  });

  it('never answers with the old row after an update (read, update, read → new version)', async () => {
    const created = await world.newListingWithStatus('active');
    expect((await world.get.execute(OWNER, { id: created.id })).version).toBe(2);
    await world.update.execute(OWNER, { id: created.id, title: 'Renamed' });
    const after = await world.get.execute(OWNER, { id: created.id });
    expect(after).toMatchObject({ title: 'Renamed', version: 3 });
  });

  it('forgets a deleted listing at once', async () => {
    const created = await world.newListingWithStatus('active');
    await world.get.execute(OWNER, { id: created.id });
    await world.remove.execute(OWNER, { id: created.id });
    expect((await caught(world.get.execute(OWNER, { id: created.id })))?.code).toBe('LISTING_NOT_FOUND');
  });

  it('caches "not found", and a create of that id is not hidden by it', async () => {
    const nextId = await world.nextListingId();
    const error = await caught(world.get.execute(OWNER, { id: nextId }));
    expect(error).toMatchObject({ code: 'LISTING_NOT_FOUND', message: `listing not found: ${nextId}` });
    await caught(world.get.execute(OWNER, { id: nextId }));
    expect(world.reads.findById).toBe(1);
    expect(world.metrics.events).toContain('negative:hit');
    const created = await world.newListing();
    expect(created.id).toBe(nextId);
    expect((await world.get.execute(OWNER, { id: nextId })).id).toBe(nextId);
  });

  it('validates the id', async () => {
    expect(await caught(world.get.execute(OWNER, { id: 0 }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'listing ID must be greater than 0',
    });
  });

  describe('who sees what', () => {
    const cases: [string, Visibility, boolean][] = [
      ['active', 'public', true],
      ['active', 'unlisted', true],
      ['active', 'private', false],
      ['draft', 'public', false],
      ['inactive', 'public', false],
      ['sold', 'public', false],
      ['archived', 'public', false],
    ];
    it.each(cases)(
      '%s/%s: anonymous and other users see it: %s; owner, admin, service always',
      async (status, visibility, open) => {
        const listing = await world.newListingWithStatus(status as 'active', { visibility });
        for (const caller of [OWNER, ADMIN, SERVICE]) {
          expect((await world.get.execute(caller, { id: listing.id })).id).toBe(listing.id);
        }
        for (const caller of [undefined, STRANGER]) {
          const outcome = await caught(world.get.execute(caller, { id: listing.id }));
          expect(outcome?.code).toBe(open ? undefined : 'LISTING_NOT_FOUND');
        }
      },
    );
  });
});

describe('GetListing when the cache is down', () => {
  const rejecting = (): Cache => {
    const down = () => Promise.reject(new Error('cache down'));
    return { get: down, getMany: down, set: down, delete: down, generation: down, bumpGeneration: down };
  };
  let world: World;
  beforeAll(async () => {
    world = await openWorld({ cache: rejecting() });
  });
  afterAll(() => world?.dispose());

  it('still serves every read and write from the database', async () => {
    const created = await world.newListingWithStatus('active');
    expect((await world.get.execute(undefined, { id: created.id })).version).toBe(2);
    await world.update.execute(OWNER, { id: created.id, title: 'Still works' });
    expect((await world.get.execute(undefined, { id: created.id })).title).toBe('Still works');
    expect(world.reads.findById).toBe(2);
    expect(world.metrics.events).toContain('cache:getMany_failed');
  });
});
