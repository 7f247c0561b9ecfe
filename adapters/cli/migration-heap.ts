import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** Young generation (both semi-spaces) past which it stops growing. */
const YOUNG_GENERATION_CAP = 32 * 2 ** 20;

/**
 * Keeps migrate-from-monolith's heap near what it really holds. A run keeps little alive (a few batches), but each
 * batch outlives two scavenges and is promoted before it dies, so V8's defaults let the old generation grow 2x and
 * more between full collections and the young one double up to 128 MiB: 550-750 MiB resident for ~100 MiB of live
 * data. The heap-size flags (--max-semi-space-size, --max-old-space-size) only take effect at start-up, which the
 * CLI does not control (bin/listings, the Docker entry point, `node adapters/cli/main.ts`); these two are read by
 * V8 whenever it resizes, so they work when set from inside the process:
 * - `--heap-growing-percent=60`: the old generation may grow 60 % past what survived the last full collection
 *   (instead of a factor of up to 4), so full collections come sooner than by default. 10 % collected so often that
 *   the scans took 56.0 s instead of 40.6 s (100,000 listings, batch 2000, load 3-4) for the same peak (195 against
 *   189 MiB). 100 % against 30 % (100,000 listings, two alternating pairs at load 8-14): the CLI's CPU in the listings
 *   scan 8.9/9.5 against 11.4/12.1 s, peak 242-243 against 211-216 MiB. At 1,000,000 listings, once batches were
 *   encoded ahead of their write (their COPY bytes held from mapping to write), 100 % peaked at 296 MiB against the
 *   300 MiB target; 60 % at 279 MiB with the same scan time (323.1 against 322.7 s, both quiet, 2026-11-26).
 * - `--semi-space-growth-factor=1`, set once the young generation reached YOUNG_GENERATION_CAP: it stops doubling
 *   there. Set from the start, it kept the young generation at 2 MiB and cost far more scavenges.
 * Measured on 100,000 listings (batch 2000): peak RSS 411 MiB without them, about 300 MiB with a growing percent
 * alone (10 or 20), 189 MiB with both (30 %).
 * Returns what stops the watch (it ends by itself once the cap is set).
 */
export function boundMigrationHeap(): () => void {
  setFlagsFromString('--heap-growing-percent=60');
  const watch = setInterval(() => {
    const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    if (young !== undefined && young.space_size >= YOUNG_GENERATION_CAP) {
      setFlagsFromString('--semi-space-growth-factor=1');
      clearInterval(watch);
    }
  }, 50);
  watch.unref();
  return () => clearInterval(watch);
}
