import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../bench/load/settings.ts';

describe('loadSettings', () => {
  it('defaults to 100,000 listings, 30 s steps from 50/s x1.5, rate limiting off', () => {
    const settings = loadSettings([]);
    expect(settings).toMatchObject({
      quick: false,
      listings: 100_000,
      startRate: 50,
      factor: 1.5,
      stepMs: 30_000,
      rateLimit: 'off',
    });
    expect(settings.restConnections + settings.grpcChannels).toBe(200);
  });

  it('--quick takes the small size and short steps; any option overrides one value', () => {
    expect(loadSettings(['--quick'])).toMatchObject({ quick: true, listings: 10_000, stepMs: 8_000 });
    expect(loadSettings(['--quick', '--listings', '2000', '--step-seconds', '4', '--rate-limit', 'on'])).toMatchObject({
      listings: 2_000,
      stepMs: 4_000,
      startRate: 25,
      rateLimit: 'on',
    });
  });

  it('refuses a value that is not a positive number, and a rate limit other than off or on', () => {
    expect(() => loadSettings(['--start-rate', 'fast'])).toThrow(/--start-rate needs a positive number/);
    expect(() => loadSettings(['--factor', '0'])).toThrow(/--factor/);
    expect(() => loadSettings(['--rate-limit', '100'])).toThrow(/--rate-limit takes off or on/);
    expect(() => loadSettings(['--rate-limit'])).toThrow(/--rate-limit takes off or on/);
  });
});
