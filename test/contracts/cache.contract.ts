import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../../ports/cache.ts';

/**
 * The behaviour every `Cache` adapter must show (ports/cache.ts). Each test uses its own keys and namespaces, so the
 * suite can share one store with other tests. Expiry is observed by polling with a bounded wait: the suite checks
 * what happens, never how fast.
 */
export function describeCacheContract(
  name: string,
  makeAdapter: () => Cache | Promise<Cache>,
  cleanup: (cache: Cache) => void | Promise<void> = () => {},
): void {
  describe(`Cache contract: ${name}`, () => {
    let cache: Cache;
    const key = (label: string): string => `contract:${label}:${randomUUID()}`;

    beforeAll(async () => {
      cache = await makeAdapter();
    });

    afterAll(async () => {
      if (cache) await cleanup(cache);
    });

    it('misses a key that was never set', async () => {
      expect(await cache.get(key('never'))).toBeUndefined();
    });

    it('returns what was set, and the latest value after an overwrite', async () => {
      const k = key('round-trip');
      await cache.set(k, '{"id":42,"title":"Bike"}', 60_000);
      expect(await cache.get(k)).toBe('{"id":42,"title":"Bike"}');
      await cache.set(k, '{"id":42,"title":"Red bike"}', 60_000);
      expect(await cache.get(k)).toBe('{"id":42,"title":"Red bike"}');
    });

    it('stores the empty string as a value, not as a miss', async () => {
      const k = key('empty');
      await cache.set(k, '', 60_000);
      expect(await cache.get(k)).toBe('');
    });

    it('reads several keys at once, one slot per key in order', async () => {
      const [a, b, c] = [key('many-a'), key('many-b'), key('many-c')];
      await cache.set(a, 'A', 60_000);
      await cache.set(c, 'C', 60_000);
      expect(await cache.getMany([a, b, c])).toEqual(['A', undefined, 'C']);
      expect(await cache.getMany([])).toEqual([]);
    });

    it('expires an entry after its own TTL while a longer-lived one stays', async () => {
      const short = key('ttl-short');
      const long = key('ttl-long');
      await cache.set(long, 'stays', 60_000);
      await cache.set(short, 'goes', 150);
      await eventually(async () => expect(await cache.get(short)).toBeUndefined());
      expect(await cache.get(long)).toBe('stays');
    });

    it('treats a TTL that is not a positive finite number as already expired', async () => {
      for (const ttl of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
        const k = key('bad-ttl');
        await cache.set(k, 'old', 60_000);
        await cache.set(k, 'new', ttl);
        expect(await cache.get(k), `ttl ${ttl}`).toBeUndefined();
      }
    });

    it('deletes one key or several, ignoring absent ones', async () => {
      const [a, b, c] = [key('del-a'), key('del-b'), key('del-c')];
      for (const k of [a, b, c]) await cache.set(k, k, 60_000);
      await cache.delete(a);
      expect(await cache.get(a)).toBeUndefined();
      await cache.delete([b, c, key('del-absent')]);
      expect(await cache.getMany([b, c])).toEqual([undefined, undefined]);
      await cache.delete([]);
    });

    it('gives a namespace a stable generation that only a bump changes, upwards', async () => {
      const namespace = `contract-search-${randomUUID()}`;
      const first = await cache.generation(namespace);
      expect(first).toEqual(expect.any(Number));
      expect(await cache.generation(namespace)).toBe(first);
      await cache.bumpGeneration(namespace);
      const second = await cache.generation(namespace);
      expect(second).toBeGreaterThan(first as number);
      await cache.bumpGeneration(namespace);
      expect(await cache.generation(namespace)).toBeGreaterThan(second as number);
    });

    it('keeps namespaces independent', async () => {
      const [search, other] = [`contract-a-${randomUUID()}`, `contract-b-${randomUUID()}`];
      const before = await cache.generation(other);
      await cache.bumpGeneration(search);
      expect(await cache.generation(other)).toBe(before);
    });

    it('orphans entries keyed by the old generation after a bump', async () => {
      const namespace = `contract-family-${randomUUID()}`;
      const entryKey = async (): Promise<string> => `search:g${await cache.generation(namespace)}:q=bike`;
      const before = await entryKey();
      await cache.set(before, '{"total":1}', 60_000);
      expect(await cache.get(await entryKey())).toBe('{"total":1}');
      await cache.bumpGeneration(namespace);
      expect(await cache.get(await entryKey())).toBeUndefined();
    });

    it('round-trips a large-ish value (512 KiB of JSON)', async () => {
      const k = key('large');
      const rows = Array.from({ length: 4_096 }, (_, i) => ({ id: i, title: `listing ${i}`, pad: 'x'.repeat(96) }));
      const value = JSON.stringify(rows);
      expect(value.length).toBeGreaterThan(512 * 1024);
      await cache.set(k, value, 60_000);
      expect(await cache.get(k)).toBe(value);
    });

    it('round-trips unicode in keys and values unchanged', async () => {
      const k = key('ключ-🔑');
      const value = JSON.stringify({ title: 'Квартира у мора — 🏖️', note: '東京 ñ e\u0301 \u{1F600}', nul: 'a\u0000b' });
      await cache.set(k, value, 60_000);
      expect(await cache.get(k)).toBe(value);
    });
  });
}

/** Retries `assertion` until it passes or `timeoutMs` passes, then fails with its last error. */
export async function eventually(assertion: () => Promise<void>, timeoutMs = 5_000, everyMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}
