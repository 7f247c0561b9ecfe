import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, OWNER_ID, openApiWorld, STRANGER_ID } from './api-world.ts';

let world: ApiWorld;
beforeAll(async () => {
  world = await openApiWorld();
});
afterAll(() => world?.close());

const LISTINGS = '/api/v1/listings';

/** Image metadata rows as the upload path would leave them (no REST route adds them). */
async function addImages(listingId: number, count: number): Promise<number[]> {
  const rows = Array.from({ length: count }, (_, index) => ({
    listing_id: listingId,
    url: `https://cdn.example/${listingId}/${index}.jpg`,
    storage_key: `listings/${listingId}/${index}.jpg`,
    display_order: index,
    is_primary: index === 0,
    width: 800,
    height: 600,
    mime_type: 'image/jpeg',
  }));
  const inserted = await world.knex('listing_images').insert(rows).returning('id');
  return inserted.map((row: { id: number | string }) => Number(row.id));
}

describe('image metadata routes', () => {
  it('lists the images primary first, with the listing JSON carrying them too', async () => {
    const listing = await world.newActiveListing();
    const [first, second] = await addImages(listing.id, 2);
    const response = await world.request({ method: 'GET', url: `${LISTINGS}/${listing.id}/images` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-served-by']).toBe('microservice');
    const images = response.json().images;
    expect(images.map((image: { id: number }) => image.id)).toEqual([first, second]);
    expect(images[0]).toMatchObject({ listing_id: listing.id, is_primary: true, width: 800, mime_type: 'image/jpeg' });
    expect(images[0]).not.toHaveProperty('storage_key');
    const full = await world.request({ method: 'GET', url: `${LISTINGS}/${listing.id}` });
    expect(full.json().images).toHaveLength(2);
  });

  it('moves the primary flag and deletes images, for the owner only', async () => {
    const listing = await world.newActiveListing();
    const [first, second, third] = await addImages(listing.id, 3);
    const primary = `${LISTINGS}/${listing.id}/images/${third}/primary`;
    expect((await world.request({ method: 'POST', url: primary })).statusCode).toBe(401);
    expect((await world.request({ method: 'POST', url: primary, as: 'stranger' })).statusCode).toBe(403);
    const moved = await world.request({ method: 'POST', url: primary, as: 'owner' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().images.map((image: { id: number }) => image.id)).toEqual([third, first, second]);

    const remove = `${LISTINGS}/${listing.id}/images/${third}`;
    expect((await world.request({ method: 'DELETE', url: remove, as: 'stranger' })).statusCode).toBe(403);
    expect((await world.request({ method: 'DELETE', url: remove, as: 'admin' })).statusCode).toBe(204);
    const after = await world.request({ method: 'GET', url: `${LISTINGS}/${listing.id}/images` });
    const remaining = after.json().images;
    expect(remaining.map((image: { id: number }) => image.id)).toEqual([first, second]);
    expect(remaining[0].is_primary).toBe(true);
    expect((await world.request({ method: 'DELETE', url: remove, as: 'owner' })).statusCode).toBe(404);
  });

  it("answers 404 for another listing's image and for a hidden listing", async () => {
    const mine = await world.newActiveListing();
    const other = await world.newActiveListing();
    const [foreign] = await addImages(other.id, 1);
    const response = await world.request({
      method: 'DELETE',
      url: `${LISTINGS}/${mine.id}/images/${foreign}`,
      as: 'owner',
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('IMAGE_NOT_FOUND');
    expect(await world.count('listing_images', { id: foreign })).toBe(1);
    const draft = await world.newListing();
    expect((await world.request({ method: 'GET', url: `${LISTINGS}/${draft.id}/images` })).statusCode).toBe(404);
    expect(
      (await world.request({ method: 'GET', url: `${LISTINGS}/${draft.id}/images`, as: 'owner' })).statusCode,
    ).toBe(200);
  });

  it('reorders images (exact set of ids, owner only)', async () => {
    const listing = await world.newActiveListing();
    const [first, second, third] = await addImages(listing.id, 3);
    const url = `${LISTINGS}/${listing.id}/images/order`;
    const wrongSet = await world.request({ method: 'PUT', url, as: 'owner', payload: { image_ids: [first] } });
    expect(wrongSet.statusCode).toBe(400);
    expect(wrongSet.json().violations[0].field).toBe('image_ids');
    const stranger = await world.request({
      method: 'PUT',
      url,
      as: 'stranger',
      payload: { image_ids: [second, first] },
    });
    expect(stranger.statusCode).toBe(403);
    const ok = await world.request({ method: 'PUT', url, as: 'owner', payload: { image_ids: [third, second, first] } });
    expect(ok.statusCode).toBe(200);
    const order = (ok.json().images as { id: number; display_order: number; is_primary: boolean }[]).map((i) => [
      i.id,
      i.display_order,
    ]);
    // The primary (the first image added) stays first; the others follow their new positions.
    expect(order).toEqual([
      [first, 2],
      [third, 0],
      [second, 1],
    ]);
    const badBody = await world.request({ method: 'PUT', url, as: 'owner', payload: { image_ids: ['x'] } });
    expect(badBody.statusCode).toBe(400);
  });

  it('answers 405 with Allow for a method the image path does not serve', async () => {
    const response = await world.request({ method: 'PATCH', url: `${LISTINGS}/1/images/2`, as: 'owner' });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('DELETE');
  });
});

describe('favorites', () => {
  it('adds and removes idempotently, keeps favorites_count, and pages a user’s favorites', async () => {
    const listing = await world.newActiveListing();
    const url = `${LISTINGS}/${listing.id}/favorite`;
    expect((await world.request({ method: 'PUT', url })).statusCode).toBe(401);
    const added = await world.request({ method: 'PUT', url, as: 'stranger' });
    expect(added.statusCode).toBe(200);
    expect(added.json()).toEqual({ listing_id: listing.id, is_favorite: true, changed: true });
    expect((await world.request({ method: 'PUT', url, as: 'stranger' })).json().changed).toBe(false);
    const read = await world.request({ method: 'GET', url: `${LISTINGS}/${listing.id}` });
    expect(read.json().favorites_count).toBe(1);

    const mine = await world.request({ method: 'GET', url: `/api/v1/users/${STRANGER_ID}/favorites`, as: 'stranger' });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toEqual({ listing_ids: [listing.id], total: 1, limit: 20, offset: 0 });
    const others = await world.request({ method: 'GET', url: `/api/v1/users/${STRANGER_ID}/favorites`, as: 'owner' });
    expect(others.statusCode).toBe(403);
    const anonymous = await world.request({ method: 'GET', url: `/api/v1/users/${STRANGER_ID}/favorites` });
    expect(anonymous.statusCode).toBe(401);
    const byAdmin = await world.request({ method: 'GET', url: `/api/v1/users/${STRANGER_ID}/favorites`, as: 'admin' });
    expect(byAdmin.json().total).toBe(1);
    const badPage = await world.request({
      method: 'GET',
      url: `/api/v1/users/${STRANGER_ID}/favorites?limit=0`,
      as: 'stranger',
    });
    expect(badPage.statusCode).toBe(400);

    const removed = await world.request({ method: 'DELETE', url, as: 'stranger' });
    expect(removed.json()).toEqual({ listing_id: listing.id, is_favorite: false, changed: true });
    expect((await world.request({ method: 'DELETE', url, as: 'stranger' })).json().changed).toBe(false);
    expect((await world.request({ method: 'GET', url: `${LISTINGS}/${listing.id}` })).json().favorites_count).toBe(0);
  });

  it('refuses a hidden listing (404), and lets services act for a named user only', async () => {
    const draft = await world.newListing();
    expect(
      (await world.request({ method: 'PUT', url: `${LISTINGS}/${draft.id}/favorite`, as: 'stranger' })).statusCode,
    ).toBe(404);
    const listing = await world.newActiveListing();
    const url = `${LISTINGS}/${listing.id}/favorite`;
    expect((await world.request({ method: 'PUT', url, as: 'service' })).statusCode).toBe(400);
    const onBehalf = await world.request({ method: 'PUT', url: `${url}?user_id=${OWNER_ID}`, as: 'service' });
    expect(onBehalf.statusCode).toBe(200);
    const impersonation = await world.request({ method: 'PUT', url: `${url}?user_id=${OWNER_ID}`, as: 'stranger' });
    expect(impersonation.statusCode).toBe(403);
    expect(await world.count('c2c_favorites', { listing_id: listing.id })).toBe(1);
  });
});
