import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../adapters/memory/cache/memory-cache.ts';
import type { Cache } from '../../../ports/cache.ts';
import { FencedCache } from '../../../src/shared/fenced-cache.ts';
import { recordingMetrics } from './recording-metrics.ts';

interface Row {
  readonly id: number;
  readonly version: number;
}

/** `null`: caching off. `decoded` counts the calls of `decode`. `now`: the clock of near copies (give the store's). */
function setup(store: Cache | null = new MemoryCache(), options: { decodedEntries?: number; now?: () => number } = {}) {
  const cache = store ?? undefined;
  const metrics = recordingMetrics();
  const decoded = { calls: 0 };
  const entries = new FencedCache<Row>({
    cache,
    metrics,
    cacheType: 'listing',
    ttlMs: 300_000,
    negativeTtlMs: 30_000,
    ...options,
    encode: (row) => JSON.stringify(row),
    decode: (text) => {
      decoded.calls++;
      try {
        const value = JSON.parse(text) as Row;
        return typeof value.version === 'number' ? value : undefined;
      } catch {
        return undefined;
      }
    },
  });
  return { entries, metrics, decoded };
}

/** A stand-in database row that counts reads. */
function source(initial: Row | null) {
  const state = { row: initial, reads: 0 };
  const load = async () => {
    state.reads++;
    return state.row;
  };
  return { state, load };
}

/** Records the calls made to `cache` (`get key`, `getMany key key`, `set key`), the test's own included. */
function countingCache(cache: Cache): Cache & { readonly calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    get: (key) => {
      calls.push(`get ${key}`);
      return cache.get(key);
    },
    getMany: (keys) => {
      calls.push(`getMany ${keys.join(' ')}`);
      return cache.getMany(keys);
    },
    set: (key, value, ttl) => {
      calls.push(`set ${key}`);
      return cache.set(key, value, ttl);
    },
    delete: (keys) => cache.delete(keys),
    generation: (namespace) => cache.generation(namespace),
    bumpGeneration: (namespace) => cache.bumpGeneration(namespace),
  };
}

/** A cache whose every method rejects, breaking the port's promise: reads must still be served. */
const brokenCache: Cache = {
  get: () => Promise.reject(new Error('down')),
  getMany: () => Promise.reject(new Error('down')),
  set: () => Promise.reject(new Error('down')),
  delete: () => Promise.reject(new Error('down')),
  generation: () => Promise.reject(new Error('down')),
  bumpGeneration: () => Promise.reject(new Error('down')),
};

describe('FencedCache', () => {
  it('loads on a miss, then answers from the cache', async () => {
    const { entries, metrics } = setup();
    const db = source({ id: 1, version: 1 });
    expect(await entries.read('listing:1', db.load)).toEqual({ id: 1, version: 1 });
    expect(await entries.read('listing:1', db.load)).toEqual({ id: 1, version: 1 });
    expect(db.state.reads).toBe(1);
    expect(metrics.events).toEqual(['listing:miss', 'listing:hit']);
  });

  it('reads a fresh value after an invalidate', async () => {
    const { entries } = setup();
    const db = source({ id: 1, version: 1 });
    await entries.read('listing:1', db.load);
    db.state.row = { id: 1, version: 2 };
    await entries.invalidate(['listing:1']);
    expect(await entries.read('listing:1', db.load)).toEqual({ id: 1, version: 2 });
  });

  it('never shows a value older than the last invalidate, even when a slow reader stores it late', async () => {
    const { entries } = setup();
    const db = source({ id: 1, version: 1 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // A reader sees the fence and reads the database before the write commits...
    const slow = entries.read('listing:1', async () => {
      const row = db.state.row;
      await gate;
      return row;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    // ...the write commits and invalidates...
    db.state.row = { id: 1, version: 2 };
    await entries.invalidate(['listing:1']);
    // ...a reader arriving now does not join the old load...
    const fresh = entries.read('listing:1', db.load);
    // ...and only then does the slow reader store what it read.
    release();
    expect(await slow).toEqual({ id: 1, version: 1 });
    expect(await fresh).toEqual({ id: 1, version: 2 });
    for (let i = 0; i < 3; i++) expect(await entries.read('listing:1', db.load)).toEqual({ id: 1, version: 2 });
  });

  it('caches "not found" for the negative TTL only, and an invalidate clears it at once', async () => {
    let now = 0;
    const { entries, metrics } = setup(new MemoryCache({ now: () => now }), { now: () => now });
    const db = source(null);
    expect(await entries.read('listing:5', db.load)).toBeNull();
    expect(await entries.read('listing:5', db.load)).toBeNull();
    expect(db.state.reads).toBe(1);
    expect(metrics.events).toEqual(['listing:miss', 'negative:hit']);
    now += 30_001;
    expect(await entries.read('listing:5', db.load)).toBeNull();
    expect(db.state.reads).toBe(2);
    db.state.row = { id: 5, version: 1 };
    await entries.invalidate(['listing:5']);
    expect(await entries.read('listing:5', db.load)).toEqual({ id: 5, version: 1 });
  });

  it('expires found values after the TTL, and fences outlive the entries they guard', async () => {
    let now = 0;
    const { entries } = setup(new MemoryCache({ now: () => now }), { now: () => now });
    const db = source({ id: 1, version: 1 });
    await entries.read('listing:1', db.load);
    now += 299_000;
    await entries.read('listing:1', db.load);
    expect(db.state.reads).toBe(1);
    now += 2_000;
    await entries.read('listing:1', db.load);
    expect(db.state.reads).toBe(2);
  });

  it('keeps many keys cached (no bounded namespace table in the way)', async () => {
    const { entries } = setup();
    let reads = 0;
    const load = (id: number) => async () => {
      reads++;
      return { id, version: 1 };
    };
    for (let round = 0; round < 2; round++) {
      for (let id = 1; id <= 5000; id++) await entries.read(`listing:${id}`, load(id));
    }
    expect(reads).toBe(5000);
  });

  it('coalesces 1000 concurrent misses of one key into one load', async () => {
    const { entries } = setup();
    let reads = 0;
    const load = async () => {
      reads++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { id: 1, version: 1 };
    };
    const results = await Promise.all(Array.from({ length: 1000 }, () => entries.read('listing:1', load)));
    expect(reads).toBe(1);
    expect(new Set(results.map((row) => row?.version))).toEqual(new Set([1]));
  });

  it('treats an undecodable or unfenced entry as a miss', async () => {
    const cache = new MemoryCache();
    const { entries } = setup(cache);
    const db = source({ id: 1, version: 3 });
    const stored = ['0\n{"id":1}', '{"id":1,"version":1}', 'other-fence\n{"id":1,"version":1}'];
    for (const [index, text] of stored.entries()) {
      await cache.set(`listing:${index}:v1`, text, 60_000);
      expect(await entries.read(`listing:${index}`, db.load)).toEqual({ id: 1, version: 3 });
    }
    expect(db.state.reads).toBe(3);
  });

  it('serves every read from the loader when the cache rejects everything, still coalescing', async () => {
    const { entries, metrics } = setup(brokenCache);
    const db = source({ id: 1, version: 1 });
    expect(await entries.read('listing:1', db.load)).toEqual({ id: 1, version: 1 });
    await entries.invalidate(['listing:1']);
    expect(await entries.read('listing:1', db.load)).toEqual({ id: 1, version: 1 });
    expect(db.state.reads).toBe(2);
    expect(metrics.events).toContain('cache:getMany_failed');
    expect(metrics.events).toContain('cache:set_failed');
    let reads = 0;
    const slow = async () => {
      reads++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { id: 2, version: 1 };
    };
    await Promise.all(Array.from({ length: 100 }, () => entries.read('listing:2', slow)));
    expect(reads).toBe(1);
  });

  it('hands out the value it stored on a miss, frozen, to every later hit without decoding it', async () => {
    const { entries, decoded } = setup();
    const db = source({ id: 1, version: 1 });
    const loaded = await entries.read('listing:1', db.load);
    const first = await entries.read('listing:1', db.load);
    const second = await entries.read('listing:1', db.load);
    expect(first).toBe(loaded);
    expect(second).toBe(loaded);
    expect(decoded.calls).toBe(0);
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => {
      (first as { version: number }).version = 9;
    }).toThrow(TypeError);
  });

  it('decodes an entry it did not store once, and shares that value between hits', async () => {
    const cache = new MemoryCache();
    const { entries, decoded } = setup(cache);
    await cache.set('listing:1:v1', '0\n{"id":1,"version":4}', 60_000);
    const load = async () => null;
    const first = await entries.read('listing:1', load);
    expect(await entries.read('listing:1', load)).toBe(first);
    expect(first).toEqual({ id: 1, version: 4 });
    expect(decoded.calls).toBe(1);
  });

  it('decodes again when the stored text changes, and never reuses a value across an invalidate', async () => {
    const cache = new MemoryCache();
    const { entries, decoded } = setup(cache);
    const db = source({ id: 1, version: 1 });
    await entries.read('listing:1', db.load);
    await entries.read('listing:1', db.load);
    // Another instance sharing the store wrote a newer entry under a fence it set.
    await cache.set('listing:1:fence', 'theirs', 600_000);
    await cache.set('listing:1:v1', 'theirs\n{"id":1,"version":2}', 60_000);
    expect(await entries.read('listing:1', db.load)).toEqual({ id: 1, version: 2 });
    expect(decoded.calls).toBe(1);
    db.state.row = { id: 1, version: 3 };
    await entries.invalidate(['listing:1']);
    expect(await entries.read('listing:1', db.load)).toEqual({ id: 1, version: 3 });
    expect(await entries.read('listing:1', db.load)).toEqual({ id: 1, version: 3 });
  });

  it('answers a hit from its near copy, fetching only the fence, while the fence is unchanged', async () => {
    const store = countingCache(new MemoryCache());
    const { entries } = setup(store);
    const db = source({ id: 1, version: 1 });
    const loaded = await entries.read('listing:1', db.load);
    store.calls.length = 0;
    for (let i = 0; i < 3; i++) expect(await entries.read('listing:1', db.load)).toBe(loaded);
    expect(store.calls).toEqual(['get listing:1:fence', 'get listing:1:fence', 'get listing:1:fence']);
    expect(db.state.reads).toBe(1);
  });

  it("never serves a near copy once another instance's write replaced the fence", async () => {
    const store = new MemoryCache();
    const here = setup(store).entries;
    const there = setup(store).entries;
    const db = source({ id: 1, version: 1 });
    await here.read('listing:1', db.load);
    await here.read('listing:1', db.load);
    db.state.row = { id: 1, version: 2 };
    await there.invalidate(['listing:1']);
    expect(await here.read('listing:1', db.load)).toEqual({ id: 1, version: 2 });
    expect(await there.read('listing:1', db.load)).toEqual({ id: 1, version: 2 });
  });

  it('serves no near copy while the store answers nothing (unreachable): reads go to the loader', async () => {
    const store = new MemoryCache();
    const down = { now: false };
    const flaky: Cache = {
      get: (key) => (down.now ? Promise.resolve(undefined) : store.get(key)),
      getMany: (keys) => (down.now ? Promise.resolve(keys.map(() => undefined)) : store.getMany(keys)),
      set: (key, value, ttl) => (down.now ? Promise.resolve() : store.set(key, value, ttl)),
      delete: (keys) => (down.now ? Promise.resolve() : store.delete(keys)),
      generation: (namespace) => store.generation(namespace),
      bumpGeneration: (namespace) => store.bumpGeneration(namespace),
    };
    const here = setup(flaky).entries;
    const db = source({ id: 1, version: 1 });
    await here.read('listing:1', db.load);
    await here.read('listing:1', db.load);
    // Another instance's write whose invalidation was lost with the store; this instance cannot see the store either.
    down.now = true;
    db.state.row = { id: 1, version: 2 };
    expect(await here.read('listing:1', db.load)).toEqual({ id: 1, version: 2 });
    expect(db.state.reads).toBe(2);
  });

  it('sets a fence before loading when none is stored, so a near copy can be checked', async () => {
    const store = countingCache(new MemoryCache());
    const { entries } = setup(store);
    await entries.read('listing:1', async () => {
      expect(await store.get('listing:1:fence')).toBeDefined();
      return { id: 1, version: 1 };
    });
    expect(store.calls.slice(0, 2)).toEqual(['getMany listing:1:v1 listing:1:fence', 'set listing:1:fence']);
  });

  it('keeps a near copy for one TTL only', async () => {
    let now = 0;
    const store = countingCache(new MemoryCache({ now: () => now }));
    const { entries } = setup(store, { now: () => now });
    const db = source({ id: 1, version: 1 });
    await entries.read('listing:1', db.load);
    now += 299_000;
    store.calls.length = 0;
    await entries.read('listing:1', db.load);
    expect(store.calls).toEqual(['get listing:1:fence']);
    now += 2_000;
    store.calls.length = 0;
    await entries.read('listing:1', db.load);
    expect(store.calls[0]).toBe('getMany listing:1:v1 listing:1:fence');
    expect(db.state.reads).toBe(2);
  });

  it('keeps a bounded number of decoded values, oldest out first', async () => {
    const { entries, decoded } = setup(new MemoryCache(), { decodedEntries: 1 });
    for (const id of [1, 2]) await entries.read(`listing:${id}`, async () => ({ id, version: 1 }));
    const load = async () => null;
    for (const id of [1, 1, 2, 2, 1]) await entries.read(`listing:${id}`, load);
    // 1 decoded, 1 reused, 2 decoded (1 evicted), 2 reused, 1 decoded again.
    expect(decoded.calls).toBe(3);
  });

  it('with caching off, reads the loader every time but still coalesces', async () => {
    const { entries, metrics } = setup(null);
    const db = source({ id: 1, version: 1 });
    await entries.read('listing:1', db.load);
    await entries.read('listing:1', db.load);
    expect(db.state.reads).toBe(2);
    expect(metrics.events).toEqual([]);
    let reads = 0;
    const slow = async () => {
      reads++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { id: 2, version: 1 };
    };
    await Promise.all(Array.from({ length: 100 }, () => entries.read('listing:2', slow)));
    expect(reads).toBe(1);
  });
});

describe('FencedCache.peek', () => {
  it('shows the valid entry without loading, storing or counting, and nothing once invalidated', async () => {
    const { entries, metrics } = setup();
    const { load, state } = source({ id: 1, version: 3 });
    expect(await entries.peek('listing:1')).toBeUndefined();
    await entries.read('listing:1', load);
    const events = metrics.events.length;
    expect(await entries.peek('listing:1')).toEqual({ value: { id: 1, version: 3 } });
    expect([state.reads, metrics.events.length]).toEqual([1, events]);
    await entries.invalidate(['listing:1']);
    expect(await entries.peek('listing:1')).toBeUndefined();
  });

  it('shows a cached "not found" as null, and nothing when caching is off', async () => {
    const { entries } = setup();
    await entries.read('listing:2', source(null).load);
    expect(await entries.peek('listing:2')).toEqual({ value: null });
    expect(await setup(null).entries.peek('listing:2')).toBeUndefined();
  });
});
