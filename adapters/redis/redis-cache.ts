import type { Redis } from 'ioredis';
import type { Cache, CacheObserver, CacheOperation } from '../../ports/cache.ts';
import { LuaScript } from './lua-script.ts';
import { ReadBatch } from './read-batch.ts';
import { redisFailure } from './redis-client.ts';

export interface RedisCacheOptions {
  /** Built by `createRedisClient` (fail-fast settings, command timeout); owned and closed by the caller. */
  readonly client: Redis;
  /** Put before every key, so several services can share one Redis. Default `listings:`. */
  readonly keyPrefix?: string;
  /** Told about every failure this adapter swallows. */
  readonly observer: CacheObserver;
}

/**
 * The server's clock in microseconds, as the seed of a generation counter. Microseconds because the seed must exceed
 * every value the lost counter reached: the counter gains one per bump, and no Redis performs a million bumps a second.
 * About 1.8e15 today, exact in a double (and in a JS number) until the year 2255.
 */
const SERVER_MICROSECONDS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])`;

/** Returns the namespace's generation, creating the counter from the server clock when it is missing. */
const READ_GENERATION = new LuaScript(`local current = redis.call('GET', KEYS[1])
if current then return tonumber(current) end
${SERVER_MICROSECONDS}
redis.call('SET', KEYS[1], string.format('%.0f', now))
return now`);

/** Increments the namespace's generation (INCR), seeding a missing counter from the server clock first. */
const BUMP_GENERATION = new LuaScript(`if redis.call('EXISTS', KEYS[1]) == 0 then
  ${SERVER_MICROSECONDS}
  redis.call('SET', KEYS[1], string.format('%.0f', now))
end
return redis.call('INCR', KEYS[1])`);

/**
 * The cache on Redis, shared by every instance of the service.
 *
 * Keys: an entry is `{prefix}{key}` (`listings:listing:42`), set with `PX` so Redis expires it; a generation is an
 * integer counter without TTL at `{prefix}generation:{namespace}`. Counters are seeded from the server clock rather
 * than 0, so if one is lost (eviction under `allkeys-*` policies, a flush) the next generation is still higher than
 * any handed out before, and entries written under old generations stay unreachable.
 *
 * Every failure (refused connection, command timeout, error reply) is reported to the observer and turned into a miss
 * or a no-op, as the port requires. Deletes use `UNLINK`, which frees large values off Redis's main thread. Reads of
 * one event-loop turn share one MGET (read-batch.ts).
 */
export class RedisCache implements Cache {
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #observer: CacheObserver;
  readonly #reads: ReadBatch;

  constructor(options: RedisCacheOptions) {
    this.#client = options.client;
    this.#reads = new ReadBatch(options.client);
    this.#prefix = options.keyPrefix ?? 'listings:';
    this.#observer = options.observer;
  }

  /** A failed get's report and answer, made once: the batch settles every cached GET's fence read with it. */
  readonly #failedGet = (error: unknown): undefined => this.#failed('get', error, undefined);

  // The batch's own promise, not a chain on it: every cached GET makes one, and a request waiting for its batch's
  // reply keeps each promise and closure alive across the young-generation collections of that wait.
  get(key: string): Promise<string | undefined> {
    return this.#reads.readOne(this.#prefix + key, this.#failedGet);
  }

  getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.#reads.read(keys.map((key) => this.#prefix + key)).then(
      (values) => values.map((value) => value ?? undefined),
      (error: unknown) =>
        this.#failed(
          'getMany',
          error,
          keys.map(() => undefined),
        ),
    );
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) return this.delete(key);
    await this.#guard('set', undefined, async () => {
      await this.#client.set(this.#prefix + key, value, 'PX', Math.ceil(ttlMs));
    });
  }

  async delete(keys: string | readonly string[]): Promise<void> {
    const list = typeof keys === 'string' ? [keys] : keys;
    if (list.length === 0) return;
    await this.#guard('delete', undefined, async () => {
      await this.#client.unlink(...list.map((key) => this.#prefix + key));
    });
  }

  async generation(namespace: string): Promise<number | undefined> {
    return this.#guard('generation', undefined, async () =>
      Number(await READ_GENERATION.run(this.#client, [this.#generationKey(namespace)], [])),
    );
  }

  async bumpGeneration(namespace: string): Promise<void> {
    await this.#guard('bumpGeneration', undefined, async () => {
      await BUMP_GENERATION.run(this.#client, [this.#generationKey(namespace)], []);
    });
  }

  #generationKey(namespace: string): string {
    return `${this.#prefix}generation:${namespace}`;
  }

  async #guard<T>(operation: CacheOperation, fallback: T, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      return this.#failed(operation, error, fallback);
    }
  }

  /** Reports a failed operation to the observer and answers `fallback` instead. */
  #failed<T>(operation: CacheOperation, error: unknown, fallback: T): T {
    try {
      this.#observer.onError(operation, redisFailure('cache', operation, error));
    } catch {
      // The port promises callers that the cache never throws; an observer's own failure is no exception.
    }
    return fallback;
  }
}
