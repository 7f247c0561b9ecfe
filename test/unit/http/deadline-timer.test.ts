import { describe, expect, it } from 'vitest';
import { DeadlineTimer, type Expiring } from '../../../adapters/http/deadline-timer.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function entry(timeoutMs: number, expired: string[], name: string): Expiring {
  return { timeoutMs, expiresAt: performance.now() + timeoutMs, expire: () => expired.push(name) };
}

describe('DeadlineTimer', () => {
  it('expires entries of several durations in time, and never one that was deleted', async () => {
    const timer = new DeadlineTimer();
    const expired: string[] = [];
    const long = entry(400, expired, 'long');
    timer.add(long);
    const done = timer.add(entry(20, expired, 'done'));
    timer.add(entry(20, expired, 'short'));
    timer.delete(done);
    await sleep(60);
    expect(expired).toEqual(['short']);
    expect(timer.size).toBe(1);
    await sleep(400);
    expect(expired).toEqual(['short', 'long']);
    expect(timer.size).toBe(0);
  });

  it('keeps expiring later entries after the first one it was armed for is gone', async () => {
    const timer = new DeadlineTimer();
    const expired: string[] = [];
    const first = timer.add(entry(15, expired, 'first'));
    await sleep(5);
    timer.add(entry(15, expired, 'second'));
    timer.delete(first);
    await sleep(40);
    expect(expired).toEqual(['second']);
  });

  it('unlinks entries from the middle and either end in any order; a second delete, or one after expiry, changes nothing', async () => {
    const timer = new DeadlineTimer();
    const expired: string[] = [];
    const a = timer.add(entry(20, expired, 'a'));
    const b = timer.add(entry(20, expired, 'b'));
    const c = timer.add(entry(20, expired, 'c'));
    const d = timer.add(entry(20, expired, 'd'));
    timer.delete(b);
    timer.delete(b);
    timer.delete(d);
    timer.delete(a);
    expect(timer.size).toBe(1);
    const e = timer.add(entry(20, expired, 'e'));
    await sleep(60);
    expect(expired).toEqual(['c', 'e']);
    expect(timer.size).toBe(0);
    timer.delete(c);
    timer.delete(e);
    expect(timer.size).toBe(0);
    timer.add(entry(10, expired, 'f'));
    await sleep(40);
    expect(expired).toEqual(['c', 'e', 'f']);
  });

  it('goes on expiring the others when one entry throws', async () => {
    const timer = new DeadlineTimer();
    const expired: string[] = [];
    timer.add({
      timeoutMs: 10,
      expiresAt: performance.now() + 10,
      expire: () => {
        throw new Error('boom');
      },
    });
    timer.add(entry(10, expired, 'next'));
    await sleep(40);
    expect(expired).toEqual(['next']);
  });
});
