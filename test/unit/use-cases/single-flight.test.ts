import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../../src/shared/single-flight.ts';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  it('runs one load for 1000 concurrent callers of one key, and gives each the same value', async () => {
    const flights = new SingleFlight();
    const gate = deferred<string>();
    let loads = 0;
    const load = () => {
      loads++;
      return gate.promise;
    };
    const callers = Array.from({ length: 1000 }, () => flights.run('listing:1', load));
    expect(flights.size).toBe(1);
    gate.resolve('value');
    expect(await Promise.all(callers)).toEqual(Array(1000).fill('value'));
    expect(loads).toBe(1);
    expect(flights.size).toBe(0);
  });

  it('keeps keys apart', async () => {
    const flights = new SingleFlight();
    let loads = 0;
    const load = async () => ++loads;
    await Promise.all([flights.run('a', load), flights.run('b', load), flights.run('a', load)]);
    expect(loads).toBe(2);
  });

  it('shares a failure with every waiter, then lets the next caller try again', async () => {
    const flights = new SingleFlight();
    const gate = deferred<number>();
    const waiting = [flights.run('k', () => gate.promise), flights.run('k', () => gate.promise)];
    gate.reject(new Error('database down'));
    for (const result of await Promise.allSettled(waiting)) expect(result.status).toBe('rejected');
    expect(await flights.run('k', async () => 7)).toBe(7);
  });

  it('turns a synchronous throw of the loader into a rejection', async () => {
    const flights = new SingleFlight();
    await expect(
      flights.run('k', () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(flights.size).toBe(0);
  });

  it('after forget, new callers start a new load and the old one does not remove it when it settles', async () => {
    const flights = new SingleFlight();
    const old = deferred<string>();
    const fresh = deferred<string>();
    const before = flights.run('k', () => old.promise);
    flights.forget('k');
    const after = flights.run('k', () => fresh.promise);
    const joined = flights.run('k', () => Promise.resolve('never'));
    old.resolve('old');
    expect(await before).toBe('old');
    expect(flights.size).toBe(1);
    fresh.resolve('new');
    expect(await after).toBe('new');
    expect(await joined).toBe('new');
  });
});
