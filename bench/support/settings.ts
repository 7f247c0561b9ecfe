/** Durations of every load phase, from the command line: default ~2-3 minutes in all, `--quick` ~1 minute. */
export interface BenchSettings {
  readonly warmupMs: number;
  readonly durationMs: number;
}

export function benchSettings(args: readonly string[]): BenchSettings {
  return args.includes('--quick') ? { warmupMs: 500, durationMs: 2_000 } : { warmupMs: 1_000, durationMs: 5_000 };
}
