import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LuaScript } from '../../../adapters/redis/lua-script.ts';
import { closeRedisClient } from '../../../adapters/redis/redis-client.ts';
import { connectTestClient } from './redis-test-support.ts';

let client: Redis;

beforeAll(async () => {
  client = await connectTestClient();
});

afterAll(async () => {
  if (client) await closeRedisClient(client);
});

describe('LuaScript', () => {
  it('sends the source when the server does not know the script, then runs it by SHA1', async () => {
    const marker = randomUUID();
    const script = new LuaScript(`return {KEYS[1], ARGV[1], '${marker}'}`);
    expect(await client.script('EXISTS', script.sha1)).toEqual([0]);
    expect(await script.run(client, ['k'], ['a'])).toEqual(['k', 'a', marker]);
    expect(await client.script('EXISTS', script.sha1)).toEqual([1]);
    expect(await script.run(client, ['k2'], [7])).toEqual(['k2', '7', marker]);
  });

  it('passes other script errors through', async () => {
    const script = new LuaScript(`return redis.error_reply('BOOM ${randomUUID()}')`);
    await expect(script.run(client, [], [])).rejects.toThrow(/BOOM/);
  });
});
