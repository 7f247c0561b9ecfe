const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * An OpenSearch `refresh_interval` ("1s", "500ms", "2m") in milliseconds: how long an acknowledged write may stay
 * invisible to searches. `-1` (refresh off) gives 0: nothing scheduled on a timer would make such writes visible.
 * A value we cannot read counts as OpenSearch's default of 1 s rather than failing start-up over a cache hint.
 */
export function refreshIntervalMs(value: string): number {
  if (value.trim() === '-1') return 0;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(value);
  if (match === null) return 1000;
  return Math.round(Number(match[1]) * (UNIT_MS[match[2] as string] as number));
}
