import { type LoadResult, type LoadSettings, measure } from './load.ts';

/** One of the calls measured against each other (the first one given is the baseline). */
export interface Contender {
  readonly label: string;
  readonly call: () => Promise<unknown>;
}

export interface AlternatingResult {
  /** One row per contender, in the order given: the medians of its rounds (ops/s, p50 and p99 each). */
  readonly rows: readonly LoadResult[];
  /** `rounds[i][j]`: round `i` of contender `j`. */
  readonly rounds: readonly (readonly LoadResult[])[];
}

/** How many times each contender is measured. */
export const ROUNDS = 3;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Measures the contenders in turn (A, B, A, B...), each round with its own warm-up, so that a burst of load from
 * elsewhere on a shared machine falls on both rather than on one; the rows are the medians of the rounds.
 */
export async function measureAlternating(
  contenders: readonly Contender[],
  settings: LoadSettings,
  rounds = ROUNDS,
): Promise<AlternatingResult> {
  const measured: LoadResult[][] = [];
  for (let round = 0; round < rounds; round++) {
    const results: LoadResult[] = [];
    for (const contender of contenders) results.push(await measure(contender.label, contender.call, settings));
    measured.push(results);
  }
  const rows = contenders.map((contender, j) => {
    const own = measured.map((results) => results[j] as LoadResult);
    return {
      label: contender.label,
      opsPerSec: median(own.map((r) => r.opsPerSec)),
      p50Ms: median(own.map((r) => r.p50Ms)),
      p99Ms: median(own.map((r) => r.p99Ms)),
      errors: own.reduce((sum, r) => sum + r.errors, 0),
    };
  });
  return { rows, rounds: measured };
}

/** One line per round: every contender's ops/s and p50/p99, and each one's share of the baseline's ops/s. */
export function roundLines(result: AlternatingResult): string[] {
  return result.rounds.map((results, i) => {
    const baseline = results[0] as LoadResult;
    const parts = results.map((r, j) => {
      const share = j === 0 ? '' : ` = ${((r.opsPerSec / baseline.opsPerSec) * 100).toFixed(1)} %`;
      return `${r.label} ${r.opsPerSec.toFixed(0)}/s (p50 ${r.p50Ms.toFixed(2)}, p99 ${r.p99Ms.toFixed(2)} ms)${share}`;
    });
    return `round ${i + 1}: ${parts.join('; ')}`;
  });
}
