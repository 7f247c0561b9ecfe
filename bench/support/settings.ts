/** Durations of every load phase, from the command line: default ~2-3 minutes in all, `--quick` ~1 minute. */
export interface BenchSettings {
  readonly warmupMs: number;
  readonly durationMs: number;
  /** `--quick`: benchmarks sized by a count (index-burst) use their small size. */
  readonly quick: boolean;
}

export function benchSettings(args: readonly string[]): BenchSettings {
  return args.includes('--quick')
    ? { warmupMs: 500, durationMs: 2_000, quick: true }
    : { warmupMs: 1_000, durationMs: 5_000, quick: false };
}
