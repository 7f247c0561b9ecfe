import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, type Callers, openApiWorld } from './api-world.ts';

let world: ApiWorld;
beforeAll(async () => {
  world = await openApiWorld();
});
afterAll(() => world?.close());

const LISTINGS = '/api/v1/listings';
type Caller = keyof Callers | undefined;

function patch(id: number, payload: Record<string, unknown>, as: Caller, headers: Record<string, string> = {}) {
  return world.request({ method: 'PATCH', url: `${LISTINGS}/${id}`, as, payload, headers });
}

describe('PATCH and PUT /api/v1/listings/:id', () => {
  it('changes the present members, raises the version and answers the new ETag', async () => {
    const listing = await world.newListing();
    const response = await patch(listing.id, { title: 'Road bike', price: 250, description: null }, 'owner');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ title: 'Road bike', price: 250, version: 2 });
    expect(response.json()).not.toHaveProperty('description');
    expect(response.headers.etag).toMatch(/^"v2\./);
    const put = await world.request({
      method: 'PUT',
      url: `${LISTINGS}/${listing.id}`,
      as: 'owner',
      payload: { quantity: 3 },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ title: 'Road bike', quantity: 3, version: 3 });
  });

  it('follows the access matrix: anonymous 401, another user 403, owner, admin and service 200', async () => {
    const listing = await world.newListing();
    const expected: [Caller, number][] = [
      [undefined, 401],
      ['stranger', 403],
      ['owner', 200],
      ['admin', 200],
      ['service', 200],
    ];
    for (const [as, status] of expected) {
      const response = await patch(listing.id, { title: `Edited by ${as ?? 'nobody'}` }, as);
      expect(response.statusCode, String(as)).toBe(status);
    }
    expect((await patch(999_999, { title: 'Nothing' }, 'owner')).statusCode).toBe(404);
  });

  it('honours If-Match: the current ETag or a bare "v<n>" passes, a stale one is 412, a malformed one 400', async () => {
    const listing = await world.newListing();
    const read = await world.request({ method: 'GET', url: `${LISTINGS}/${listing.id}`, as: 'owner' });
    const etag = read.headers.etag as string;
    const ok = await patch(listing.id, { title: 'First edit' }, 'owner', { 'if-match': etag });
    expect(ok.statusCode).toBe(200);
    const stale = await patch(listing.id, { title: 'Lost update' }, 'owner', { 'if-match': etag });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().code).toBe('VERSION_CONFLICT');
    expect((await patch(listing.id, { title: 'Bare tag' }, 'owner', { 'if-match': '"v2"' })).statusCode).toBe(200);
    expect((await patch(listing.id, { title: 'Any' }, 'owner', { 'if-match': '*' })).statusCode).toBe(200);
    expect((await patch(listing.id, { title: 'Foreign' }, 'owner', { 'if-match': '"abc"' })).statusCode).toBe(412);
    expect((await patch(listing.id, { title: 'Weak' }, 'owner', { 'if-match': 'W/"v4"' })).statusCode).toBe(412);
    const malformed = await patch(listing.id, { title: 'Bad' }, 'owner', { 'if-match': 'v4' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().violations[0].field).toBe('If-Match');
    const row = await world.knex('listings').where({ id: listing.id }).first();
    expect(row.title).toBe('Any');
  });

  it('is 409 for a forbidden status change and 400 for an empty or invalid update', async () => {
    const listing = await world.newListing();
    const forbidden = await patch(listing.id, { status: 'sold' }, 'owner');
    expect(forbidden.statusCode).toBe(409);
    expect(forbidden.json().code).toBe('INVALID_STATE');
    const empty = await patch(listing.id, {}, 'owner');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().detail).toBe('at least one field must be provided for update');
    for (const payload of [{ title: '' }, { status: 'gone' }, { price: -1 }, { colour: 'red' }, { quantity: 1.5 }]) {
      const response = await patch(listing.id, payload, 'owner');
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().violations.length).toBeGreaterThan(0);
    }
    const claim = await patch(listing.id, { user_id: 8, title: 'Claimed' }, 'owner');
    expect(claim.statusCode).toBe(403);
  });
});

describe('POST /api/v1/listings/:id/publish and /unpublish', () => {
  it('moves draft → active → inactive, stamps published_at, and refuses unpublishing a draft', async () => {
    const listing = await world.newListing();
    const refused = await world.request({ method: 'POST', url: `${LISTINGS}/${listing.id}/unpublish`, as: 'owner' });
    expect(refused.statusCode).toBe(409);
    const published = await world.request({ method: 'POST', url: `${LISTINGS}/${listing.id}/publish`, as: 'owner' });
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({ status: 'active', version: 2 });
    expect(published.json().published_at).toBeDefined();
    const stranger = await world.request({
      method: 'POST',
      url: `${LISTINGS}/${listing.id}/unpublish`,
      as: 'stranger',
    });
    expect(stranger.statusCode).toBe(403);
    const anonymous = await world.request({ method: 'POST', url: `${LISTINGS}/${listing.id}/unpublish` });
    expect(anonymous.statusCode).toBe(401);
    const stale = await world.request({
      method: 'POST',
      url: `${LISTINGS}/${listing.id}/unpublish`,
      as: 'owner',
      headers: { 'if-match': '"v1"' },
    });
    expect(stale.statusCode).toBe(412);
    const paused = await world.request({ method: 'POST', url: `${LISTINGS}/${listing.id}/unpublish`, as: 'admin' });
    expect(paused.json()).toMatchObject({ status: 'inactive', version: 3 });
  });
});

describe('DELETE /api/v1/listings/:id', () => {
  it('soft-deletes for the owner (204), then the listing is gone (404) but its row stays', async () => {
    const listing = await world.newListing();
    expect((await world.request({ method: 'DELETE', url: `${LISTINGS}/${listing.id}` })).statusCode).toBe(401);
    expect(
      (await world.request({ method: 'DELETE', url: `${LISTINGS}/${listing.id}`, as: 'stranger' })).statusCode,
    ).toBe(403);
    const stale = await world.request({
      method: 'DELETE',
      url: `${LISTINGS}/${listing.id}`,
      as: 'owner',
      headers: { 'if-match': '"v9"' },
    });
    expect(stale.statusCode).toBe(412);
    const deleted = await world.request({ method: 'DELETE', url: `${LISTINGS}/${listing.id}`, as: 'owner' });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect(deleted.headers['x-served-by']).toBe('microservice');
    expect((await world.request({ method: 'GET', url: `${LISTINGS}/${listing.id}`, as: 'owner' })).statusCode).toBe(
      404,
    );
    expect((await world.request({ method: 'DELETE', url: `${LISTINGS}/${listing.id}`, as: 'owner' })).statusCode).toBe(
      404,
    );
    const row = await world.knex('listings').where({ id: listing.id }).first();
    expect(row.is_deleted).toBe(true);
    expect(row.deleted_at).not.toBeNull();
  });
});

describe('GET /api/v1/listings', () => {
  it('filters, pages by offset and by cursor, and sends [] (never null) for no match', async () => {
    const category = world.categories.furniture;
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await world.newActiveListing({ category_id: category, price: 10 + i })).id);
    const draft = await world.newListing({ category_id: category });

    const publicPage = await world.request({ method: 'GET', url: `${LISTINGS}?category_id=${category}&limit=2` });
    expect(publicPage.statusCode).toBe(200);
    expect(publicPage.headers['x-served-by']).toBe('microservice');
    const first = publicPage.json();
    expect(first.total).toBe(5);
    expect(first.listings.map((l: { id: number }) => l.id)).toEqual([ids[4], ids[3]]);
    expect(typeof first.next_cursor).toBe('string');

    const second = (
      await world.request({
        method: 'GET',
        url: `${LISTINGS}?category_id=${category}&limit=2&cursor=${first.next_cursor}`,
      })
    ).json();
    expect(second.listings.map((l: { id: number }) => l.id)).toEqual([ids[2], ids[1]]);
    const offset = (
      await world.request({ method: 'GET', url: `${LISTINGS}?category_id=${category}&limit=2&offset=4` })
    ).json();
    expect(offset.listings.map((l: { id: number }) => l.id)).toEqual([ids[0]]);
    expect(offset).not.toHaveProperty('next_cursor');

    const priced = (
      await world.request({ method: 'GET', url: `${LISTINGS}?category_id=${category}&min_price=11&max_price=12.5` })
    ).json();
    expect(priced.listings.map((l: { id: number }) => l.id).sort()).toEqual([ids[1], ids[2]].sort());

    const own = (
      await world.request({
        method: 'GET',
        url: `${LISTINGS}?category_id=${category}&user_id=7&status=draft`,
        as: 'owner',
      })
    ).json();
    expect(own.listings.map((l: { id: number }) => l.id)).toEqual([draft.id]);

    const none = await world.request({ method: 'GET', url: `${LISTINGS}?category_id=${world.categories.fashion}` });
    expect(none.body).toContain('"listings":[]');
    expect(none.json()).toEqual({ listings: [], total: 0 });
  });

  it('refuses invalid paging and filters with violations', async () => {
    const cases: [string, string][] = [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['offset=-1', 'offset'],
      ['status=gone', 'status'],
      ['min_price=5&max_price=1', 'min_price'],
      ['cursor=garbage', 'cursor'],
      ['category=1', 'category'],
      ['user_id=abc', 'user_id'],
    ];
    for (const [query, field] of cases) {
      const response = await world.request({ method: 'GET', url: `${LISTINGS}?${query}` });
      expect(response.statusCode, query).toBe(400);
      expect(
        response.json().violations.map((v: { field: string }) => v.field),
        query,
      ).toContain(field);
    }
  });
});
