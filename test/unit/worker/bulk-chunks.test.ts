import { describe, expect, it } from 'vitest';
import { ageMs } from '../../../adapters/cli/commands/queue.ts';
import { workerId } from '../../../adapters/worker/worker-id.ts';
import type { ListingRepository } from '../../../ports/listing-repository.ts';
import type { IndexRemoval, SearchDocument } from '../../../ports/search-index.ts';
import { bulkChunks, jsonBytesAtMost, type Sized } from '../../../src/indexing/bulk-chunks.ts';
import { loadCurrentListings } from '../../../src/indexing/current-listings.ts';
import { buildSearchDocument } from '../../../src/search/search-document.ts';
import { sampleListing } from '../use-cases/sample-listing.ts';

const doc = (id: number, bytes: number): Sized<SearchDocument> => ({ item: { id } as SearchDocument, bytes });
const removal = (id: number): Sized<IndexRemoval> => ({ item: { id, version: 1 }, bytes: 64 });
const ids = (chunks: ReturnType<typeof bulkChunks>) =>
  chunks.map((chunk) => [...chunk.upserts.map((u) => u.item.id), ...chunk.removals.map((r) => -r.item.id)]);

describe('bulkChunks', () => {
  it('keeps one chunk while within both bounds', () => {
    expect(ids(bulkChunks([doc(1, 10), doc(2, 10)], [removal(3)], { maxBytes: 1000, maxItems: 10 }))).toEqual([
      [1, 2, -3],
    ]);
  });

  it('splits by item count, documents first, then removals', () => {
    const chunks = bulkChunks([doc(1, 1), doc(2, 1), doc(3, 1)], [removal(4), removal(5)], {
      maxBytes: 1e9,
      maxItems: 2,
    });
    expect(ids(chunks)).toEqual([[1, 2], [3, -4], [-5]]);
  });

  it('splits by bytes and sends a document larger than the bound alone', () => {
    const chunks = bulkChunks([doc(1, 40), doc(2, 70), doc(3, 500), doc(4, 30)], [], { maxBytes: 100, maxItems: 500 });
    expect(ids(chunks)).toEqual([[1], [2], [3], [4]]);
    expect(chunks.map((chunk) => chunk.bytes)).toEqual([40, 70, 500, 30]);
  });

  it('makes no chunk for no work', () => {
    expect(bulkChunks([], [])).toEqual([]);
  });
});

describe('loadCurrentListings', () => {
  it('reads every id once, at most 1000 per findManyByIds, and maps the live rows by id', async () => {
    const reads: number[][] = [];
    const listings = {
      findManyByIds: async (wanted: readonly number[]) => {
        reads.push([...wanted]);
        return wanted.filter((id) => id % 2 === 0).map((id) => sampleListing({ id }));
      },
    } as unknown as ListingRepository;
    const ids = [...Array.from({ length: 2500 }, (_, i) => 2500 - i), 7, 8];
    const found = await loadCurrentListings(listings, ids);
    expect(reads.map((read) => read.length)).toEqual([1000, 1000, 500]);
    expect(new Set(reads.flat()).size).toBe(2500);
    expect(found.size).toBe(1250);
    expect(found.get(8)?.id).toBe(8);
    expect(found.has(7)).toBe(false);
    expect(await loadCurrentListings(listings, [])).toEqual(new Map());
    expect(reads).toHaveLength(3);
  });
});

describe('worker ids and purge ages', () => {
  it('names a loop host:pid:loop and the one-shot drain host:pid:drain', () => {
    expect(workerId(3, 'box', 42)).toBe('box:42:3');
    expect(workerId(-1, 'box', 42)).toBe('box:42:drain');
  });

  it('accepts days and Go durations, refuses anything else', () => {
    expect(ageMs('7d')).toBe(7 * 86_400_000);
    expect(ageMs('1h30m')).toBe(5_400_000);
    expect(ageMs('0s')).toBe(0);
    expect(() => ageMs('a week')).toThrow(/--older-than/);
    expect(() => ageMs('-1d')).toThrow(/--older-than/);
  });
});

describe('jsonBytesAtMost', () => {
  it('is never below the serialised size of a search document', () => {
    const values: unknown[] = [
      buildSearchDocument(sampleListing({ title: 'Stan na Vračaru', description: 'Dvosoban "stan"\n' })),
      { title: 'Квартира в центре — «новая»', tags: ['sale', 'город'], at: new Date(), n: -Math.PI * 1e-300 },
      [null, true, 0, '', { '': [] }],
    ];
    for (const value of values) {
      expect(jsonBytesAtMost(value)).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(value)));
    }
  });
});
