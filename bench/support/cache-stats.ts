import { Redis } from 'ioredis';

/**
 * What the cache did during one load phase, measured rather than derived: the service's own hit and miss counters
 * (`listings_cache_{hits,misses}_total{cache_type="listing"}` scraped from its /metrics before and after) and the
 * commands Redis executed (`INFO commandstats` deltas).
 *
 * Redis counts every client's commands, so a test run by someone else on the same server during the phase shows up
 * in the total; the per-command breakdown (`mget` for a hit) makes such noise visible instead of hiding it. The
 * `INFO` calls these snapshots make are left out.
 */
export interface CacheSnapshot {
  readonly hits: number;
  readonly misses: number;
  /** Calls per Redis command (`mget`, `set`...), or empty when no Redis is watched. */
  readonly redisCalls: ReadonlyMap<string, number>;
}

export interface CachePhaseStats {
  readonly hits: number;
  readonly misses: number;
  /** Commands per command name executed by Redis during the phase. */
  readonly redisCalls: ReadonlyMap<string, number>;
  readonly redisTotal: number;
}

export class CacheStats {
  readonly #metricsUrl: string;
  readonly #redis: Redis | undefined;

  /** `metricsUrl`: the service's `/metrics`; `redisUrl`: the Redis to watch, if the service uses one. */
  constructor(metricsUrl: string, redisUrl?: string) {
    this.#metricsUrl = metricsUrl;
    this.#redis = redisUrl === undefined ? undefined : new Redis(redisUrl, { lazyConnect: true });
  }

  async snapshot(): Promise<CacheSnapshot> {
    const [metrics, redisCalls] = await Promise.all([this.#scrape(), this.#commandStats()]);
    return {
      hits: counterValue(metrics, 'listings_cache_hits_total', 'listing'),
      misses: counterValue(metrics, 'listings_cache_misses_total', 'listing'),
      redisCalls,
    };
  }

  static delta(before: CacheSnapshot, after: CacheSnapshot): CachePhaseStats {
    const redisCalls = new Map<string, number>();
    let redisTotal = 0;
    for (const [command, calls] of after.redisCalls) {
      const delta = calls - (before.redisCalls.get(command) ?? 0);
      if (delta <= 0) continue;
      redisCalls.set(command, delta);
      redisTotal += delta;
    }
    return { hits: after.hits - before.hits, misses: after.misses - before.misses, redisCalls, redisTotal };
  }

  async close(): Promise<void> {
    this.#redis?.disconnect();
  }

  async #scrape(): Promise<string> {
    const response = await fetch(this.#metricsUrl);
    if (response.status !== 200) throw new Error(`GET ${this.#metricsUrl} answered ${response.status}`);
    return response.text();
  }

  async #commandStats(): Promise<Map<string, number>> {
    const calls = new Map<string, number>();
    if (this.#redis === undefined) return calls;
    if (this.#redis.status === 'wait') await this.#redis.connect();
    const info = await this.#redis.info('commandstats');
    for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      const command = match[1] as string;
      if (command !== 'info') calls.set(command, Number(match[2]));
    }
    return calls;
  }
}

/** The value of `name{cache_type="<type>"}` in a Prometheus text exposition; 0 when the series does not exist yet. */
function counterValue(exposition: string, name: string, cacheType: string): number {
  const line = exposition.split('\n').find((l) => l.startsWith(`${name}{cache_type="${cacheType}"}`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}
