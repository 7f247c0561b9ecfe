import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, OWNER_ID, openApiWorld, STRANGER_ID } from './api-world.ts';

let world: ApiWorld;
beforeAll(async () => {
  world = await openApiWorld();
});
afterAll(() => world?.close());

const LISTINGS = '/api/v1/listings';

describe('POST /api/v1/listings', () => {
  it('creates a draft of the caller: 201, Location, ETag, X-Served-By, the listing JSON', async () => {
    const response = await world.request({
      method: 'POST',
      url: LISTINGS,
      as: 'owner',
      payload: world.listingBody({ price: 10.01, sku: 'BIKE-1', attributes: { size: 'M', gears: 21 } }),
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(response.headers.location).toBe(`${LISTINGS}/${body.id}`);
    expect(response.headers.etag).toMatch(/^"v1\.[A-Za-z0-9_-]+"$/);
    expect(response.headers['x-served-by']).toBe('microservice');
    expect(body).toMatchObject({
      user_id: OWNER_ID,
      title: 'Mountain bike',
      description: 'Barely used',
      price: 10.01,
      currency: 'RSD',
      category_id: world.categories.bicycles,
      status: 'draft',
      visibility: 'public',
      quantity: 1,
      sku: 'BIKE-1',
      source_type: 'c2c',
      stock_status: 'in_stock',
      views_count: 0,
      favorites_count: 0,
      is_deleted: false,
      attributes: { size: 'M', gears: 21 },
      version: 1,
    });
    expect(body.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Nulls and empty relations are omitted.
    for (const key of ['storefront_id', 'published_at', 'deleted_at', 'images', 'tags', 'location'])
      expect(body).not.toHaveProperty(key);
    expect(Object.keys(body).every((key) => /^[a-z_]+$/.test(key))).toBe(true);
  });

  it('sends prices exactly from minor units', async () => {
    for (const price of [0.01, 0.1, 0.3, 19.99, 1234567.89]) {
      const listing = await world.newListing({ price });
      expect(listing.price).toBe(price);
    }
    const row = await world.knex('listings').where({ title: 'Mountain bike', price: '0.30' }).first();
    expect(row).toBeDefined();
  });

  it('is 401 without a token, before the body is read', async () => {
    const response = await world.request({ method: 'POST', url: LISTINGS, payload: world.listingBody() });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.headers['www-authenticate']).toContain('Bearer');
    expect(response.headers['x-served-by']).toBe('microservice');
    expect(response.json().code).toBe('UNAUTHENTICATED');
  });

  it('refuses a missing required field, an unknown field and a wrong JSON type with violations', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ title: undefined }, 'title', 'required'],
      [{ titel: 'Bike' }, 'titel', 'additionalProperties'],
      [{ price: '10' }, 'price', 'type'],
      [{ quantity: '1' }, 'quantity', 'type'],
      [{ quantity: -1 }, 'quantity', 'minimum'],
      [{ category_id: 0 }, 'category_id', 'minimum'],
      [{ visibility: 'secret' }, 'visibility', 'enum'],
      [{ attributes: [] }, 'attributes', 'type'],
    ];
    for (const [overrides, field, reason] of cases) {
      const response = await world.request({
        method: 'POST',
        url: LISTINGS,
        as: 'owner',
        payload: world.listingBody(overrides),
      });
      expect(response.statusCode, JSON.stringify(overrides)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      const problem = response.json();
      expect(problem.code).toBe('VALIDATION_FAILED');
      expect(problem.violations, JSON.stringify(overrides)).toContainEqual(expect.objectContaining({ field, reason }));
    }
  });

  it("reports every domain problem at once with the original's texts, and writes nothing", async () => {
    const before = await world.count('listings');
    const response = await world.request({
      method: 'POST',
      url: LISTINGS,
      as: 'owner',
      payload: world.listingBody({ title: 'ab', price: 0, currency: 'RS', attributes: { nested: { a: 1 } } }),
    });
    expect(response.statusCode).toBe(400);
    const messages = response.json().violations.map((v: { message: string }) => v.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'title must be at least 3 characters',
        'price must be greater than 0',
        'currency must be 3 characters (ISO 4217)',
      ]),
    );
    expect(response.json().violations.map((v: { field: string }) => v.field)).toContain('attributes.nested');
    const unknownCategory = await world.request({
      method: 'POST',
      url: LISTINGS,
      as: 'owner',
      payload: world.listingBody({ category_id: 999_999 }),
    });
    expect(unknownCategory.statusCode).toBe(400);
    expect(unknownCategory.json().violations).toEqual([
      { field: 'category_id', reason: 'not_found', message: 'category not found' },
    ]);
    expect(await world.count('listings')).toBe(before);
  });

  it('lets only admins and services name another owner', async () => {
    const denied = await world.request({
      method: 'POST',
      url: LISTINGS,
      as: 'owner',
      payload: world.listingBody({ user_id: STRANGER_ID }),
    });
    expect(denied.statusCode).toBe(403);
    const byAdmin = await world.request({
      method: 'POST',
      url: LISTINGS,
      as: 'admin',
      payload: world.listingBody({ user_id: STRANGER_ID }),
    });
    expect(byAdmin.statusCode).toBe(201);
    expect(byAdmin.json().user_id).toBe(STRANGER_ID);
    const byService = await world.request({
      method: 'POST',
      url: LISTINGS,
      as: 'service',
      payload: world.listingBody({ user_id: OWNER_ID }),
    });
    expect(byService.json().user_id).toBe(OWNER_ID);
  });

  it('creates a product listing in the caller’s storefront only', async () => {
    const own = await world.addStorefront(OWNER_ID);
    const theirs = await world.addStorefront(STRANGER_ID);
    const product = await world.newListing({ storefront_id: own, source_type: 'b2c' });
    expect(product).toMatchObject({ storefront_id: own, source_type: 'b2c' });
    const mismatch = await world.request({
      method: 'POST',
      url: LISTINGS,
      as: 'owner',
      payload: world.listingBody({ storefront_id: own, source_type: 'c2c' }),
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().violations[0].field).toBe('source_type');
    const foreign = await world.request({
      method: 'POST',
      url: LISTINGS,
      as: 'owner',
      payload: world.listingBody({ storefront_id: theirs }),
    });
    expect(foreign.statusCode).toBe(403);
  });
});

describe('Idempotency-Key on create', () => {
  it('replays the first answer for the same key and body: one row', async () => {
    const before = await world.count('listings');
    const send = (payload: Record<string, unknown>, as: 'owner' | 'stranger' = 'owner') =>
      world.request({ method: 'POST', url: LISTINGS, as, payload, headers: { 'idempotency-key': 'order-123' } });
    const first = await send(world.listingBody({ title: 'Idempotent bike' }));
    const second = await send(world.listingBody({ title: 'Idempotent bike' }));
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(second.json()).toEqual(first.json());
    expect(second.headers.location).toBe(first.headers.location);
    expect(await world.count('listings')).toBe(before + 1);

    const reused = await send(world.listingBody({ title: 'Another bike' }));
    expect(reused.statusCode).toBe(422);
    expect(reused.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    // Keys are per caller: the same key of another user is a new request.
    const other = await send(world.listingBody({ title: 'Idempotent bike' }), 'stranger');
    expect(other.statusCode).toBe(201);
    expect(other.json().id).not.toBe(first.json().id);
    expect(await world.count('listings')).toBe(before + 2);
  });

  it('refuses a malformed key with 400', async () => {
    const response = await world.request({
      method: 'POST',
      url: LISTINGS,
      as: 'owner',
      payload: world.listingBody(),
      headers: { 'idempotency-key': 'has space' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().violations[0].field).toBe('Idempotency-Key');
  });
});

describe('GET /api/v1/listings/:id', () => {
  it('answers the listing with an ETag, and 304 for If-None-Match with it', async () => {
    const listing = await world.newActiveListing();
    const first = await world.request({ method: 'GET', url: `${LISTINGS}/${listing.id}` });
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-served-by']).toBe('microservice');
    expect(first.json()).toMatchObject({ id: listing.id, status: 'active' });
    expect(first.json().published_at).toBeDefined();
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"v2\./);
    const again = await world.request({
      method: 'GET',
      url: `${LISTINGS}/${listing.id}`,
      headers: { 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const stale = await world.request({
      method: 'GET',
      url: `${LISTINGS}/${listing.id}`,
      headers: { 'if-none-match': '"v1.old"' },
    });
    expect(stale.statusCode).toBe(200);
  });

  it('answers cached reads byte for byte as the first read, and the changed document after a write', async () => {
    const listing = await world.newActiveListing();
    const url = `${LISTINGS}/${listing.id}`;
    const first = await world.request({ method: 'GET', url });
    expect(first.statusCode).toBe(200);
    for (let i = 0; i < 3; i++) {
      const hit = await world.request({ method: 'GET', url });
      expect(hit.body).toBe(first.body);
      expect(hit.headers.etag).toBe(first.headers.etag);
      expect(hit.headers['content-type']).toBe('application/json; charset=utf-8');
    }
    const patched = await world.request({ method: 'PATCH', url, as: 'owner', payload: { title: 'Renamed listing' } });
    expect(patched.statusCode).toBe(200);
    const changed = await world.request({ method: 'GET', url });
    expect(changed.json().title).toBe('Renamed listing');
    expect(changed.headers.etag).toBe(patched.headers.etag);
    expect(changed.headers.etag).not.toBe(first.headers.etag);
  });

  it('changes the ETag when a counter changes the document without a new version', async () => {
    const listing = await world.newActiveListing();
    const before = await world.request({ method: 'GET', url: `${LISTINGS}/${listing.id}` });
    await world.request({ method: 'PUT', url: `${LISTINGS}/${listing.id}/favorite`, as: 'stranger' });
    const after = await world.request({
      method: 'GET',
      url: `${LISTINGS}/${listing.id}`,
      headers: { 'if-none-match': before.headers.etag as string },
    });
    expect(after.statusCode).toBe(200);
    expect(after.json()).toMatchObject({ favorites_count: 1, version: before.json().version });
  });

  it('hides a draft from everybody but its owner, admins and services (404)', async () => {
    const draft = await world.newListing();
    const url = `${LISTINGS}/${draft.id}`;
    expect((await world.request({ method: 'GET', url })).statusCode).toBe(404);
    const stranger = await world.request({ method: 'GET', url, as: 'stranger' });
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json()).toMatchObject({ code: 'LISTING_NOT_FOUND', status: 404 });
    expect(stranger.headers['x-served-by']).toBe('microservice');
    for (const as of ['owner', 'admin', 'service'] as const)
      expect((await world.request({ method: 'GET', url, as })).statusCode, as).toBe(200);
  });

  it('is 400 for an id that is not a positive integer, 404 for a missing one, 401 for a bad token', async () => {
    for (const id of ['abc', '0', '-1', '1.5']) {
      const response = await world.request({ method: 'GET', url: `${LISTINGS}/${id}` });
      expect(response.statusCode, id).toBe(400);
      expect(response.json().violations[0].field).toBe('id');
    }
    expect((await world.request({ method: 'GET', url: `${LISTINGS}/987654` })).statusCode).toBe(404);
    const badToken = await world.app.inject({
      method: 'GET',
      url: `${LISTINGS}/1`,
      headers: { authorization: 'Bearer not.a.token' },
    });
    expect(badToken.statusCode).toBe(401);
  });
});
