/**
 * A deterministic sweep of hostile input over every operation of /openapi.json: each body member, query parameter
 * and path parameter in turn gets wrong types, out-of-range numbers, huge and odd strings and nested values, and the
 * whole body is replaced by non-objects. No answer may be a 5xx other than a deliberate 501, and every 4xx must be
 * a problem document. (fast-check is not installed, so this is a fixed table rather than a property-based run.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { API_OPERATIONS } from './api-operations.ts';
import { type ApiWorld, OWNER_ID, openApiWorld } from './api-world.ts';

let world: ApiWorld;
let ids: Record<string, number | string>;
let document: { paths: Record<string, Record<string, OperationDoc>> };

interface OperationDoc {
  parameters?: { in: string; name: string }[];
  requestBody?: { content: { 'application/json'?: { schema: { properties?: Record<string, unknown> } } } };
}

beforeAll(async () => {
  world = await openApiWorld();
  document = (await world.request({ method: 'GET', url: '/openapi.json' })).json();
  const shop = await world.addStorefront(OWNER_ID, { slug: 'hostile-shop' });
  const listing = await world.newActiveListing();
  const [image] = await world
    .knex('listing_images')
    .insert({ listing_id: listing.id, url: 'https://cdn.example/a.jpg', is_primary: true })
    .returning('id');
  const product = await world.request({
    method: 'POST',
    url: `/api/v1/storefronts/${shop}/products`,
    as: 'owner',
    payload: {
      name: 'Lamp',
      price: 10,
      currency: 'RSD',
      category_id: world.categories.furniture,
      stock_quantity: 5,
      has_variants: true,
    },
  });
  const productId = product.json().id as number;
  const variant = await world.request({
    method: 'POST',
    url: `/api/v1/products/${productId}/variants`,
    as: 'owner',
    payload: { sku: 'V', stock_quantity: 1 },
  });
  ids = {
    listing: listing.id,
    imageId: Number(image.id),
    product: productId,
    productId,
    variantId: variant.json().id,
    storefront: shop,
    storefrontId: shop,
    userId: OWNER_ID,
    slug: 'hostile-shop',
    category: world.categories.electronics as number,
  };
}, 120_000);
afterAll(() => world?.close());

const HOSTILE_VALUES: readonly unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 53,
  1e308,
  '',
  ' ',
  'x'.repeat(20_000),
  '\u0000😀',
  [],
  [null, {}],
  {},
  { a: { b: { c: { d: [1] } } } },
  { 'k\u0000': 'v' },
];
const HOSTILE_BODIES: readonly unknown[] = [[], 'text', 42, null, { __proto__: { admin: true } }];
const HOSTILE_QUERY = ['', 'x', '-1', '0', '1.5', '1e309', '9'.repeat(30), 'true', '%00'];
const HOSTILE_PATH = ['0', '-1', 'x', '9'.repeat(30), '1.5', '%2e%2e', '%00', '%F0%9F%98%80'];

/** The path with each `{name}` replaced by an existing row's id (or by `override` for the one named). */
function pathFor(path: string, override?: { name: string; value: string }): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (override?.name === name) return override.value;
    if (name !== 'id') return String(ids[name]);
    if (path.startsWith('/api/v1/listings/')) return String(ids.listing);
    if (path.startsWith('/api/v1/products/')) return String(ids.product);
    if (path.startsWith('/api/v1/storefronts/')) return String(ids.storefront);
    return String(ids.category);
  });
}

async function expectNoServerError(method: string, url: string, payload?: unknown): Promise<void> {
  const response = await world.request({
    method: method.toUpperCase() as 'GET',
    url,
    as: 'admin',
    ...(payload === undefined
      ? {}
      : { payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } }),
  });
  const label = `${method} ${url.slice(0, 120)} ${JSON.stringify(payload)?.slice(0, 120)}`;
  if (response.statusCode === 501) expect(response.json().code, label).toBe('NOT_IMPLEMENTED');
  else expect(response.statusCode, `${label} → ${response.body.slice(0, 300)}`).toBeLessThan(500);
  if (response.statusCode >= 400) expect(response.headers['content-type'], label).toContain('application/problem+json');
}

it('never answers a 5xx to hostile bodies, query strings or path parameters', async () => {
  let requests = 0;
  for (const [method, path] of API_OPERATIONS) {
    const operation = document.paths[path]?.[method] as OperationDoc;
    const url = pathFor(path);
    const properties = operation.requestBody?.content['application/json']?.schema.properties;
    if (properties !== undefined) {
      for (const body of HOSTILE_BODIES) {
        await expectNoServerError(method, url, body);
        requests++;
      }
      for (const name of Object.keys(properties)) {
        for (const value of HOSTILE_VALUES) {
          await expectNoServerError(method, url, { [name]: value });
          requests++;
        }
      }
    }
    for (const parameter of operation.parameters ?? []) {
      if (parameter.in === 'query') {
        for (const value of HOSTILE_QUERY) {
          await expectNoServerError(method, `${url}?${parameter.name}=${value}&${parameter.name}=${value}`);
          requests++;
        }
      } else if (parameter.in === 'path') {
        for (const value of HOSTILE_PATH) {
          await expectNoServerError(
            method,
            pathFor(path, { name: parameter.name, value }),
            properties ? {} : undefined,
          );
          requests++;
        }
      }
    }
  }
  expect(requests).toBeGreaterThan(1000);
}, 300_000);
