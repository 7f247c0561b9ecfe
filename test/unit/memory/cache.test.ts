import { describe, expect, it } from 'vitest';
import { approximateEntryBytes, MemoryCache } from '../../../adapters/memory/cache/memory-cache.ts';
import { describeCacheContract } from '../../contracts/cache.contract.ts';

describeCacheContract('memory', () => new MemoryCache());

/** A clock the test moves by hand, so TTL and eviction are checked without waiting. */
function manualClock(start = 1_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('MemoryCache bounds', () => {
  it('evicts the least recently used entry beyond maxEntries; a read counts as use', async () => {
    const cache = new MemoryCache({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c']) await cache.set(k, k, 60_000);
    expect(await cache.get('a')).toBe('a');
    await cache.set('d', 'd', 60_000);
    expect(await cache.getMany(['a', 'b', 'c', 'd'])).toEqual(['a', undefined, 'c', 'd']);
    expect(cache.size).toBe(3);
  });

  it('gives a read entry one second chance, not immortality (CLOCK)', async () => {
    const cache = new MemoryCache({ maxEntries: 2 });
    await cache.set('a', 'a', 60_000);
    await cache.set('b', 'b', 60_000);
    expect(await cache.get('a')).toBe('a');
    await cache.set('c', 'c', 60_000);
    expect(await cache.getMany(['a', 'b', 'c'])).toEqual(['a', undefined, 'c']);
    // That getMany read a and c again; two more unread inserts use up both second chances.
    await cache.set('d', 'd', 60_000);
    await cache.set('e', 'e', 60_000);
    await cache.set('f', 'f', 60_000);
    expect(await cache.getMany(['a', 'c', 'd', 'e', 'f'])).toEqual([undefined, undefined, undefined, 'e', 'f']);
    expect(cache.size).toBe(2);
  });

  it('does not give an expired entry a second chance', async () => {
    const clock = manualClock();
    const cache = new MemoryCache({ maxEntries: 2, now: clock.now });
    await cache.set('short', 's', 10);
    await cache.set('long', 'l', 60_000);
    expect(await cache.get('short')).toBe('s');
    clock.advance(10);
    await cache.set('new', 'n', 60_000);
    expect(await cache.getMany(['short', 'long', 'new'])).toEqual([undefined, 'l', 'n']);
  });

  it('evicts least recently used entries until the approximate bytes fit', async () => {
    const value = 'x'.repeat(1_000);
    const perEntry = approximateEntryBytes('k1', value);
    const cache = new MemoryCache({ maxBytes: perEntry * 2 + 10 });
    await cache.set('k1', value, 60_000);
    await cache.set('k2', value, 60_000);
    expect(cache.bytes).toBe(perEntry * 2);
    await cache.set('k3', value, 60_000);
    expect(await cache.getMany(['k1', 'k2', 'k3'])).toEqual([undefined, value, value]);
    expect(cache.bytes).toBeLessThanOrEqual(perEntry * 2 + 10);
  });

  it('does not store a value larger than maxBytes, and drops the key it replaced', async () => {
    const cache = new MemoryCache({ maxBytes: 1_000 });
    await cache.set('k', 'small', 60_000);
    await cache.set('k', 'y'.repeat(2_000), 60_000);
    expect(await cache.get('k')).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });

  it('keeps byte accounting exact through overwrite, delete and expiry', async () => {
    const clock = manualClock();
    const cache = new MemoryCache({ now: clock.now });
    await cache.set('a', '1234', 100);
    await cache.set('a', '12345678', 100);
    await cache.set('b', 'bb', 50);
    expect(cache.bytes).toBe(approximateEntryBytes('a', '12345678') + approximateEntryBytes('b', 'bb'));
    await cache.delete('a');
    expect(cache.bytes).toBe(approximateEntryBytes('b', 'bb'));
    clock.advance(50);
    expect(await cache.get('b')).toBeUndefined();
    expect(cache.bytes).toBe(0);
    expect(cache.size).toBe(0);
  });

  it('expires exactly at the TTL on its clock, rounding the TTL up to a whole millisecond', async () => {
    const clock = manualClock();
    const cache = new MemoryCache({ now: clock.now });
    await cache.set('k', 'v', 99.2);
    clock.advance(99);
    expect(await cache.get('k')).toBe('v');
    clock.advance(1);
    expect(await cache.get('k')).toBeUndefined();
  });
});

describe('MemoryCache generations', () => {
  it('restarts a forgotten namespace above every generation handed out', async () => {
    const cache = new MemoryCache({ maxNamespaces: 2 });
    await cache.bumpGeneration('search');
    await cache.bumpGeneration('search');
    const search = (await cache.generation('search')) as number;
    await cache.generation('other-1');
    await cache.generation('other-2'); // forgets `search`, the least recently used namespace
    expect(await cache.generation('search')).toBeGreaterThan(search);
  });
});
