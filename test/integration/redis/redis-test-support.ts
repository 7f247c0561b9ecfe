import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  closeRedisClient,
  createRedisClient,
  type RedisClientSettings,
  redisReady,
} from '../../../adapters/redis/redis-client.ts';
import { redisUrl } from '../../support/servers.ts';

/** A key prefix of its own for one test file, so files can share the server and run in parallel. */
export function testKeyPrefix(file: string): string {
  return `listings-test:${file}:${randomUUID()}:`;
}

/** A connected client to the real Redis of the integration suite, with the adapters' fail-fast settings. */
export async function connectTestClient(settings: Partial<RedisClientSettings> = {}): Promise<Redis> {
  const client = createRedisClient({ url: redisUrl(), commandTimeoutMs: 2_000, ...settings });
  await redisReady(client, 10_000);
  return client;
}

/** Removes every key under `prefix`, then closes the client. */
export async function removeKeysAndClose(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await client.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  await closeRedisClient(client);
}

/** An observer that remembers what it was told. */
export function recordingObserver<Operation extends string>(): {
  onError: (operation: Operation, error: unknown) => void;
  calls: { operation: Operation; error: unknown }[];
} {
  const calls: { operation: Operation; error: unknown }[] = [];
  return { calls, onError: (operation, error) => calls.push({ operation, error }) };
}
