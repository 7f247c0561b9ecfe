import { beforeAll, describe, expect, it } from 'vitest';
import type { SearchFilters, SearchIndex, SearchQuery, SearchSort } from '../../ports/search-index.ts';
import { asCurrency } from '../../src/domain/currency.ts';
import { minorUnits } from '../../src/domain/money.ts';
import { ACTIVE_IDS, BELGRADE, CATALOGUE, tiedDocuments } from '../integration/search/search-fixtures.ts';
import { describeSearchIndexWrites } from '../integration/search/search-writes.contract-part.ts';

/** An adapter under test, over an index the harness owns. */
export interface SearchIndexHarness {
  readonly index: SearchIndex;
  /** Leaves an empty serving index (aliases, tables and shadow indices of earlier tests removed). */
  reset(): Promise<void>;
  dispose(): Promise<void>;
}

export function query(overrides: Partial<SearchQuery> = {}): SearchQuery {
  return { text: '', filters: {}, sort: 'relevance', limit: 100, ...overrides };
}

const ids = (result: { readonly hits: readonly { readonly id: number }[] }) => result.hits.map((hit) => hit.id);
const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);

/** Every page of a query through `nextCursor`, with the totals each page reported. */
async function walk(index: SearchIndex, base: SearchQuery): Promise<{ ids: number[]; totals: Set<number> }> {
  const found: number[] = [];
  const totals = new Set<number>();
  let after: string | null = null;
  for (let page = 0; page < 100; page++) {
    const result = await index.search({ ...base, after });
    found.push(...ids(result));
    totals.add(result.total);
    if (result.nextCursor === null) return { ids: found, totals };
    after = result.nextCursor;
  }
  throw new Error('too many pages');
}

/**
 * The SearchIndex contract (ports/search-index.ts), run by each adapter's integration test file against a real
 * engine: OpenSearch, PostgreSQL 15 and PGlite.
 */
export function describeSearchIndexContract(name: string, open: () => Promise<SearchIndexHarness>): void {
  describe(`SearchIndex contract: ${name}`, () => {
    let harness: SearchIndexHarness;
    let index: SearchIndex;
    const active = { status: 'active' } as const satisfies SearchFilters;
    const search = (overrides: Partial<SearchQuery>) => index.search(query(overrides));

    beforeAll(async () => {
      harness = await open();
      index = harness.index;
      return () => harness.dispose();
    });

    describe('a catalogue in Russian and Serbian', () => {
      beforeAll(async () => {
        await harness.reset();
        expect((await index.upsert(CATALOGUE)).every((result) => result.status === 'ok')).toBe(true);
        await index.refresh();
      });

      it('browses everything with an empty text, newest first, with an exact total', async () => {
        const result = await search({ filters: active });
        expect(ids(result)).toEqual([...ACTIVE_IDS].reverse());
        expect(result.total).toBe(8);
        expect(result.nextCursor).toBeNull();
        expect(result.facets).toBeNull();
        expect(result.hits.every((hit) => hit.score === null && hit.version === 1)).toBe(true);
        // Each engine names itself in its answers, so the failover's callers can tell a fallback's answer.
        expect(result.servedBy).toBe(index.engine);
      });

      it('stems Russian: "квартиры" finds "квартира", ranking a title match above a description match', async () => {
        const result = await search({ text: 'квартиры' });
        expect(ids(result)).toEqual([1, 2]);
        expect(result.hits[0]?.score).toBeGreaterThan(result.hits[1]?.score ?? Number.POSITIVE_INFINITY);
      });

      it('stems Serbian across scripts: Cyrillic "станови" and Latin "stanova" find "stanovi"', async () => {
        expect(ids(await search({ text: 'станови' }))).toEqual([3]);
        expect(ids(await search({ text: 'stanova' }))).toEqual([3]);
        expect(ids(await search({ text: 'kuće' }))).toEqual([4]);
      });

      it('requires every word and tolerates a typo in a title', async () => {
        expect(ids(await search({ text: 'telefon samsung' }))).toEqual([6]);
        expect(ids(await search({ text: 'telefon bicikl' }))).toEqual([]);
        expect(sorted(ids(await search({ text: 'telefom', filters: active })))).toEqual([6, 7]);
      });

      it('matches tags and attribute values', async () => {
        expect(ids(await search({ text: 'mtb' }))).toEqual([5]);
        expect(ids(await search({ text: 'samsung', filters: { sourceType: 'b2c' } }))).toEqual([6]);
      });

      it('filters by each field', async () => {
        const only = async (filters: SearchFilters) => sorted(ids(await search({ filters })));
        expect(await only({ categoryIds: [10, 11] })).toEqual([1, 2, 3, 4]);
        expect(await only({ status: 'inactive' })).toEqual([9]);
        expect(await only({ price: { min: minorUnits(45_000_01), max: minorUnits(45_000_01) } })).toEqual([5, 8]);
        expect(await only({ ...active, price: { min: null, max: minorUnits(60_000_00) } })).toEqual([5, 6, 7, 8]);
        expect(await only({ price: { min: minorUnits(9_000_000_00), max: null } })).toEqual([1, 2]);
        expect(await only({ currency: asCurrency('EUR') })).toEqual([3, 4, 7]);
        expect(await only({ storefrontId: 7 })).toEqual([6, 7]);
        expect(await only({ userId: 2 })).toEqual([2, 3]);
        expect(await only({ sourceType: 'c2c', categoryIds: [20, 21] })).toEqual([5, 9]);
        expect(await only({ attributes: [{ key: 'condition', value: 'used' }] })).toEqual([5, 7]);
        expect(
          await only({
            attributes: [
              { key: 'condition', value: 'used' },
              { key: 'brand', value: 'apple' },
            ],
          }),
        ).toEqual([7]);
        expect(await only({ attributes: [{ key: 'condition', value: 'Used' }] })).toEqual([]);
      });

      it('finds listings within a radius and sorts them by distance', async () => {
        const near = { ...BELGRADE, radiusKm: 10 };
        expect(ids(await search({ filters: { geo: near }, sort: 'distance' }))).toEqual([5, 7, 3]);
        const wide = await search({ filters: { geo: { ...BELGRADE, radiusKm: 100 } }, sort: 'distance' });
        expect(ids(wide)).toEqual([5, 7, 3, 4]);
        expect(wide.total).toBe(4);
        expect(sorted(ids(await search({ filters: { geo: { ...BELGRADE, radiusKm: 2 } } })))).toEqual([5]);
        await expect(search({ sort: 'distance' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      });

      it('sorts by price (ties by id) and by creation time', async () => {
        const by = async (sort: SearchSort) => ids(await search({ filters: active, sort }));
        expect(await by('price_asc')).toEqual([7, 5, 8, 6, 4, 3, 2, 1]);
        expect(await by('price_desc')).toEqual([1, 2, 3, 4, 6, 8, 5, 7]);
        expect(await by('created_at_desc')).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
      });

      it('counts facets over all matches: category, currency, source type and chosen attribute keys', async () => {
        const result = await search({ filters: active, limit: 1, facets: { attributeKeys: ['condition', 'brand'] } });
        expect(result.total).toBe(8);
        expect(result.facets).toEqual({
          category: [
            { value: 10, count: 3 },
            { value: 21, count: 2 },
            { value: 11, count: 1 },
            { value: 20, count: 1 },
            { value: 30, count: 1 },
          ],
          currency: [
            { value: 'EUR', count: 3 },
            { value: 'RSD', count: 3 },
            { value: 'RUB', count: 2 },
          ],
          sourceType: [
            { value: 'c2c', count: 6 },
            { value: 'b2c', count: 2 },
          ],
          attributes: {
            condition: [
              { value: 'used', count: 2 },
              { value: 'new', count: 1 },
            ],
            brand: [
              { value: 'apple', count: 1 },
              { value: 'samsung', count: 1 },
              { value: 'scott', count: 1 },
            ],
          },
        });
        const small = await search({ text: 'telefon', facets: { size: 1 } });
        expect(small.facets?.category).toEqual([{ value: 21, count: 3 }]);
        expect(small.facets?.attributes).toEqual({});
      });

      it('suggests titles from two characters, any case, within the limit', async () => {
        const titles = async (prefix: string, limit = 10) =>
          (await index.suggest({ prefix, limit })).map((suggestion) => suggestion.title);
        expect(await titles('кв')).toContain('Квартира в центре Москвы');
        expect(await titles('BI')).toEqual(['Bicikl Scott Aspect 930']);
        expect(await titles('Telefon Sam')).toEqual(['Telefon Samsung Galaxy S21']);
        expect(await titles('tel')).toEqual(
          expect.arrayContaining(['Telefon Samsung Galaxy S21', 'Telefon Apple iPhone 13']),
        );
        expect(await titles('tel', 1)).toHaveLength(1);
        await expect(index.suggest({ prefix: 'k', limit: 5 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      });

      it('rejects a cursor of another query', async () => {
        const first = await search({ filters: active, limit: 2 });
        expect(first.nextCursor).not.toBeNull();
        const other = search({
          filters: { ...active, currency: asCurrency('EUR') },
          limit: 2,
          after: first.nextCursor,
        });
        await expect(other).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
        await expect(search({ after: 'garbage' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      });
    });

    describe('deep pagination over ties', () => {
      const tied = tiedDocuments(25);
      const all = tied.map((document) => document.id);

      beforeAll(async () => {
        await harness.reset();
        await index.upsert(tied);
        await index.refresh();
      });

      it.each<[string, Partial<SearchQuery>]>([
        ['relevance', { text: 'frižider gorenje' }],
        ['created_at_desc', { sort: 'created_at_desc' }],
        ['price_asc', { sort: 'price_asc' }],
        ['price_desc', { sort: 'price_desc' }],
        ['distance', { sort: 'distance', filters: { geo: { ...BELGRADE, radiusKm: 50 } } }],
      ])('walks 7 pages of 4 by %s without duplicates or gaps', async (_, overrides) => {
        const { ids: walked, totals } = await walk(index, query({ limit: 4, ...overrides }));
        expect(walked).toHaveLength(25);
        expect(sorted(walked)).toEqual(all);
        expect([...totals]).toEqual([25]);
      });

      it('pages by offset too', async () => {
        const page = await index.search(query({ sort: 'price_asc', limit: 10, offset: 20 }));
        expect(ids(page)).toEqual(all.slice(20));
        expect(page.nextCursor).toBeNull();
        await expect(index.search(query({ limit: 100, offset: 9_950 }))).rejects.toMatchObject({
          code: 'VALIDATION_FAILED',
        });
      });

      it('resumes after any hit with its cursor', async () => {
        const page = await index.search(query({ sort: 'price_asc', limit: 5 }));
        const resumed = await index.search(query({ sort: 'price_asc', limit: 3, after: page.hits[1]?.cursor ?? null }));
        expect(ids(resumed)).toEqual(ids(page).slice(2, 5));
      });
    });

    describeSearchIndexWrites(() => harness);
  });
}
