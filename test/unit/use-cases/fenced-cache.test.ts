import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../adapters/memory/cache/memory-cache.ts';
import type { Cache } from '../../../ports/cache.ts';
import { FencedCache } from '../../../src/shared/fenced-cache.ts';
import { recordingMetrics } from './recording-metrics.ts';

interface Row {
  readonly id: number;
  readonly version: number;
}

/** `null`: caching off. `decoded` counts the calls of `decode`. */
function setup(store: Cache | null = new MemoryCache(), options: { decodedEntries?: number } = {}) {
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
    const { entries, metrics } = setup(new MemoryCache({ now: () => now }));
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
    const { entries } = setup(new MemoryCache({ now: () => now }));
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
    for (const stored of ['0\n{"id":1}', '{"id":1,"version":1}', 'other-fence\n{"id":1,"version":1}']) {
      await cache.set('listing:1:v1', stored, 60_000);
      expect(await entries.read('listing:1', db.load)).toEqual({ id: 1, version: 3 });
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
    // Another instance sharing the store wrote a newer entry under the same (absent) fence.
    await cache.set('listing:1:v1', '0\n{"id":1,"version":2}', 60_000);
    expect(await entries.read('listing:1', db.load)).toEqual({ id: 1, version: 2 });
    expect(decoded.calls).toBe(1);
    db.state.row = { id: 1, version: 3 };
    await entries.invalidate(['listing:1']);
    expect(await entries.read('listing:1', db.load)).toEqual({ id: 1, version: 3 });
    expect(await entries.read('listing:1', db.load)).toEqual({ id: 1, version: 3 });
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
