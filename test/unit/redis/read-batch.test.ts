import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ReadBatch } from '../../../adapters/redis/read-batch.ts';

/** Answers MGET from `values` (null for a missing key) or fails every one with `failure`; records each call's keys. */
function fakeClient(values: Record<string, string>, failure?: Error) {
  const calls: string[][] = [];
  const client = {
    async mget(keys: string[]): Promise<(string | null)[]> {
      calls.push([...keys]);
      if (failure) throw failure;
      return keys.map((key) => values[key] ?? null);
    },
  };
  return { client: client as unknown as Redis, calls };
}

const noFailure = (error: unknown): string | undefined => {
  throw new Error(`unexpected failure: ${String(error)}`);
};

describe('ReadBatch.readOne', () => {
  it('settles with the value, or undefined (not null) for a missing key, from one MGET per turn', async () => {
    const { client, calls } = fakeClient({ a: '1', c: '3' });
    const batch = new ReadBatch(client);
    const reads = [batch.readOne('a', noFailure), batch.readOne('b', noFailure), batch.read(['c', 'b'])];
    expect(await Promise.all(reads)).toEqual(['1', undefined, ['3', null]]);
    expect(calls).toEqual([['a', 'b', 'c', 'b']]);
  });

  it('settles each read with what its own `failed` makes of the error, and never rejects', async () => {
    const failure = new Error('connection lost');
    const { client } = fakeClient({}, failure);
    const batch = new ReadBatch(client);
    const seen: unknown[] = [];
    const failed = (error: unknown) => {
      seen.push(error);
      return 'fallback';
    };
    const results = await Promise.all([batch.readOne('a', failed), batch.readOne('b', () => undefined)]);
    expect(results).toEqual(['fallback', undefined]);
    expect(seen).toEqual([failure]);
  });

  it('settles the other reads of a failed batch when one fallback throws', async () => {
    const batch = new ReadBatch(fakeClient({}, new Error('connection lost')).client);
    const results = await Promise.all([
      batch.readOne('a', () => {
        throw new Error('observer broke');
      }),
      batch.readOne('b', () => 'fallback'),
    ]);
    expect(results).toEqual([undefined, 'fallback']);
  });

  it('still rejects a read of several keys when Redis fails', async () => {
    const failure = new Error('connection lost');
    const batch = new ReadBatch(fakeClient({}, failure).client);
    const one = batch.readOne('a', () => undefined);
    await expect(batch.read(['a', 'b'])).rejects.toBe(failure);
    await expect(one).resolves.toBeUndefined();
  });
});
