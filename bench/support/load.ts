/**
 * A closed-loop load generator for in-process calls: `concurrency` callers, each starting its next call as soon
 * as the previous one settles, for a warm-up (not recorded) and then a measured phase. Latencies are wall-clock
 * per call in milliseconds; ops/s counts successful calls of the measured phase only.
 */
export interface LoadSettings {
  readonly concurrency: number;
  readonly warmupMs: number;
  readonly durationMs: number;
}

export interface LoadResult {
  readonly label: string;
  readonly opsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

async function phase(
  call: () => Promise<unknown>,
  concurrency: number,
  durationMs: number,
  latencies: number[] | undefined,
): Promise<{ ok: number; errors: number; firstError: unknown }> {
  const deadline = performance.now() + durationMs;
  let ok = 0;
  let errors = 0;
  let firstError: unknown;
  const worker = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        await call();
        ok += 1;
        latencies?.push(performance.now() - started);
      } catch (error) {
        errors += 1;
        firstError ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ok, errors, firstError };
}

/** Runs `call` under load; throws when every call failed (a broken benchmark must not print a figure). */
export async function measure(
  label: string,
  call: () => Promise<unknown>,
  settings: LoadSettings,
): Promise<LoadResult> {
  await phase(call, settings.concurrency, settings.warmupMs, undefined);
  const latencies: number[] = [];
  const started = performance.now();
  const { ok, errors, firstError } = await phase(call, settings.concurrency, settings.durationMs, latencies);
  const elapsedS = (performance.now() - started) / 1000;
  if (ok === 0) throw new Error(`${label}: every call failed`, { cause: firstError });
  latencies.sort((a, b) => a - b);
  return {
    label,
    opsPerSec: ok / elapsedS,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    errors,
  };
}

/** A uniformly random element (the same generator drives ours and the baseline). */
export function pick<T>(values: readonly T[]): T {
  return values[Math.floor(Math.random() * values.length)] as T;
}
