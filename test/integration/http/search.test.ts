import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, openApiWorld } from './api-world.ts';

let world: ApiWorld;
const ids: Record<string, number> = {};
beforeAll(async () => {
  world = await openApiWorld();
  const listings: [string, Record<string, unknown>][] = [
    ['red', { title: 'Red mountain bike', price: 150, attributes: { color: 'red' } }],
    ['blue', { title: 'Blue mountain bike', price: 250, attributes: { color: 'blue' } }],
    ['city', { title: 'City bicycle with basket', price: 90 }],
    ['sofa', { title: 'Leather sofa', price: 400, category_id: world.categories.furniture }],
  ];
  for (const [name, overrides] of listings) {
    ids[name] = (await world.newActiveListing(overrides)).id;
    await world.indexListing(ids[name] as number);
  }
  ids.draft = (await world.newListing({ title: 'Draft mountain bike' })).id;
}, 120_000);
afterAll(() => world?.close());

const SEARCH = '/api/v1/listings/search';
const idsOf = (body: { listings: { id: number }[] }) => body.listings.map((listing) => listing.id);

describe('GET /api/v1/listings/search', () => {
  it('finds active public listings by text, ranked, as listing JSON; never the drafts', async () => {
    const response = await world.request({ method: 'GET', url: `${SEARCH}?query=mountain` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-served-by']).toBe('microservice');
    expect(response.headers['x-search-engine']).toBe('postgres'); // the embedded default's own engine
    const body = response.json();
    expect(body.total).toBe(2);
    expect(idsOf(body).sort()).toEqual([ids.red, ids.blue].sort());
    expect(body.listings[0]).toMatchObject({ status: 'active', views_count: 0 });
    expect(body).not.toHaveProperty('facets');
  });

  it('browses with an empty query, filters by category, price and attributes, and sorts by price', async () => {
    const all = (await world.request({ method: 'GET', url: `${SEARCH}?sort=price_asc` })).json();
    expect(idsOf(all)).toEqual([ids.city, ids.red, ids.blue, ids.sofa]);
    const bikes = (
      await world.request({ method: 'GET', url: `${SEARCH}?category_id=${world.categories.bicycles}&max_price=200` })
    ).json();
    expect(idsOf(bikes).sort()).toEqual([ids.red, ids.city].sort());
    const blue = (await world.request({ method: 'GET', url: `${SEARCH}?attribute=color:blue` })).json();
    expect(idsOf(blue)).toEqual([ids.blue]);
  });

  it('pages by offset and by cursor, and counts facets on request', async () => {
    const first = (await world.request({ method: 'GET', url: `${SEARCH}?sort=price_desc&limit=2&facets=true` })).json();
    expect(first.total).toBe(4);
    expect(idsOf(first)).toEqual([ids.sofa, ids.blue]);
    expect(first.facets.category).toEqual(
      expect.arrayContaining([
        { value: world.categories.bicycles, count: 3 },
        { value: world.categories.furniture, count: 1 },
      ]),
    );
    expect(first.facets.currency).toEqual([{ value: 'RSD', count: 4 }]);
    const second = (
      await world.request({
        method: 'GET',
        url: `${SEARCH}?sort=price_desc&limit=2&cursor=${encodeURIComponent(first.next_cursor)}`,
      })
    ).json();
    expect(idsOf(second)).toEqual([ids.red, ids.city]);
    expect(second).not.toHaveProperty('next_cursor');
    const byOffset = (await world.request({ method: 'GET', url: `${SEARCH}?sort=price_desc&limit=2&offset=2` })).json();
    expect(idsOf(byOffset)).toEqual([ids.red, ids.city]);
  });

  it('answers [] for no match, and drops a hit whose listing stopped being searchable', async () => {
    const none = await world.request({ method: 'GET', url: `${SEARCH}?query=submarine` });
    expect(none.json()).toEqual({ listings: [], total: 0 });
    await world.request({ method: 'POST', url: `/api/v1/listings/${ids.sofa}/unpublish`, as: 'owner' });
    const sofa = (await world.request({ method: 'GET', url: `${SEARCH}?query=sofa` })).json();
    expect(sofa.listings).toEqual([]);
    await world.request({ method: 'POST', url: `/api/v1/listings/${ids.sofa}/publish`, as: 'owner' });
  });

  it('refuses invalid input with violations', async () => {
    const cases: [string, string][] = [
      ['query=a', 'query'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['offset=-1', 'offset'],
      ['min_price=5&max_price=1', 'min_price'],
      ['sort=best', 'sort'],
      ['sort=distance', 'sort'],
      ['lat=44.8', 'lat'],
      ['attribute=nocolon', 'attribute.0'],
      ['cursor=garbage', 'cursor'],
      ['q=bike', 'q'],
    ];
    for (const [query, field] of cases) {
      const response = await world.request({ method: 'GET', url: `${SEARCH}?${query}` });
      expect(response.statusCode, query).toBe(400);
      expect(
        response.json().violations.map((v: { field: string }) => v.field),
        query,
      ).toContain(field);
    }
  });
});

describe('GET /api/v1/listings/suggest', () => {
  it('suggests titles for a prefix and refuses one shorter than 2 characters', async () => {
    const response = await world.request({ method: 'GET', url: '/api/v1/listings/suggest?q=moun' });
    expect(response.statusCode).toBe(200);
    const titles = response.json().suggestions.map((s: { title: string }) => s.title);
    expect(titles.sort()).toEqual(['Blue mountain bike', 'Red mountain bike']);
    expect((await world.request({ method: 'GET', url: '/api/v1/listings/suggest?q=m' })).statusCode).toBe(400);
    expect((await world.request({ method: 'GET', url: '/api/v1/listings/suggest' })).statusCode).toBe(400);
  });
});
