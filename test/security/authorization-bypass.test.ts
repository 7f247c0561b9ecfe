/**
 * Authorization bypass attempts against the running service, REST and gRPC: naming another owner in a body or a
 * query, moving a listing to another user through an update, acting on someone else's listing while claiming to
 * be its owner, and calling service-only operations as a user. Each is refused (403 / PERMISSION_DENIED, or 400
 * for a field the operation does not take) and changes nothing. The role matrix itself is tested per route in
 * test/integration/http/listing-writes.test.ts, listings.test.ts and test/integration/grpc/listings.test.ts.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListingsClientError } from '../../adapters/grpc/client/index.ts';
import type { TestDatabase } from '../support/databases.ts';
import {
  request,
  type ServiceUnderTest,
  seededDatabase,
  startServiceUnderTest,
  userToken,
} from '../support/service-under-test.ts';

let db: TestDatabase;
let categories: Record<string, number>;
let service: ServiceUnderTest;
let owner: string;
let stranger: string;
let listingId: number;

beforeAll(async () => {
  ({ db, categories } = await seededDatabase('listings_sec_authz'));
  service = await startServiceUnderTest(db.url as string, { SVETULISTINGS_WORKER_ENABLED: 'false' });
  owner = await userToken('7');
  stranger = await userToken('8');
  const created = await request(service.base, 'POST', '/api/v1/listings', { token: owner, body: createBody() });
  listingId = created.json.id;
});
afterAll(async () => {
  await service?.stop();
  await db?.dispose();
});

function createBody(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Owned bike',
    price: 10,
    currency: 'RSD',
    category_id: categories.bicycles,
    quantity: 1,
    ...overrides,
  };
}

async function row(): Promise<{ user_id: number; title: string; status: string; version: number }> {
  return db.knex('listings').where({ id: listingId }).first('user_id', 'title', 'status', 'version');
}

async function expectRefused(
  method: string,
  path: string,
  token: string,
  body: unknown,
  statuses: number[] = [403],
): Promise<void> {
  const answer = await request(service.base, method, path, { token, ...(body === undefined ? {} : { body }) });
  expect(statuses, `${method} ${path} ${JSON.stringify(body)}: ${answer.status} ${answer.text}`).toContain(
    answer.status,
  );
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
}

describe('REST', () => {
  it('refuses a create naming another owner, or the owner under another name, and creates nothing', async () => {
    const before = await db.knex('listings').count<{ n: string }[]>({ n: '*' });
    await expectRefused('POST', '/api/v1/listings', stranger, createBody({ user_id: 7 }));
    for (const field of ['owner_id', 'userId', 'owner', 'roles'])
      await expectRefused('POST', '/api/v1/listings', stranger, createBody({ [field]: 7 }), [400]);
    expect(await db.knex('listings').count<{ n: string }[]>({ n: '*' })).toEqual(before);
  });

  it('never moves a listing to another user through PATCH or PUT, whoever asks', async () => {
    const before = await row();
    for (const method of ['PATCH', 'PUT']) {
      await expectRefused(method, `/api/v1/listings/${listingId}`, owner, { user_id: 8, title: 'Given away' });
      await expectRefused(method, `/api/v1/listings/${listingId}`, stranger, { user_id: 7, title: 'Taken over' });
      await expectRefused(method, `/api/v1/listings/${listingId}`, stranger, { title: 'Taken over' });
    }
    expect(await row()).toEqual(before);
  });

  it("refuses a stranger's publish, unpublish, delete and image changes on the owner's listing", async () => {
    const before = await row();
    await expectRefused('POST', `/api/v1/listings/${listingId}/publish`, stranger, undefined, [403, 404]);
    await expectRefused('POST', `/api/v1/listings/${listingId}/unpublish`, stranger, undefined, [403, 404]);
    await expectRefused('DELETE', `/api/v1/listings/${listingId}`, stranger, undefined, [403, 404]);
    await expectRefused('PUT', `/api/v1/listings/${listingId}/images/order`, stranger, { image_ids: [1] }, [403, 404]);
    expect(await row()).toEqual(before);
  });

  it("refuses favorites and favorite lists on another user's behalf", async () => {
    await expectRefused('PUT', `/api/v1/listings/${listingId}/favorite?user_id=7`, stranger, undefined);
    await expectRefused('GET', '/api/v1/users/7/favorites', stranger, undefined);
    expect(await db.knex('c2c_favorites').where({ user_id: 7 }).count<{ n: number }[]>({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('refuses service-only stock operations to a user', async () => {
    const items = [{ product_id: listingId, quantity: 1 }];
    await expectRefused('POST', '/api/v1/stock/decrement', owner, { items, order_id: 'o-1' });
    await expectRefused('POST', '/api/v1/stock/rollback', owner, { items, order_id: 'o-1' });
    await expectRefused('POST', '/api/v1/stock/check', owner, { items });
    await expectRefused(
      'POST',
      `/api/v1/products/${listingId}/movements`,
      owner,
      {
        movement_type: 'in',
        quantity: 5,
      },
      [400, 403],
    );
    expect(Number((await db.knex('inventory_movements').count<{ n: string }[]>({ n: '*' }))[0]?.n)).toBe(0);
    expect((await row()).user_id).toBe(7);
  });
});

describe('gRPC', () => {
  async function expectDenied(call: Promise<unknown>, label: string): Promise<void> {
    const error = await call.catch((e: unknown) => e);
    expect(error, label).toBeInstanceOf(ListingsClientError);
    expect((error as ListingsClientError).code, `${label}: ${(error as Error).message}`).toBe(
      GrpcStatus.PERMISSION_DENIED,
    );
  }

  it('checks ownership against the token, not the user_id a request claims', async () => {
    const before = await row();
    const asStranger = service.grpc(stranger);
    await expectDenied(asStranger.updateListing({ id: listingId, userId: 7, title: 'Taken over' }), 'update');
    await expectDenied(asStranger.deleteListing({ id: listingId, userId: 7 }), 'delete');
    await expectDenied(
      asStranger.createListing({
        userId: 7,
        title: 'In your name',
        price: 10,
        currency: 'RSD',
        categoryId: categories.bicycles as number,
        quantity: 1,
      }),
      'create for another user',
    );
    await expectDenied(service.grpc(owner).updateListing({ id: listingId, userId: 8, title: 'Given away' }), 'give');
    expect(await row()).toEqual(before);
  });
});
