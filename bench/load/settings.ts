import type { StepPlan } from './schedule.ts';

/** `npm run load [-- options]`; `--quick` picks the small defaults, any other option overrides one value. */
export interface LoadSettings extends StepPlan {
  readonly quick: boolean;
  readonly listings: number;
  /** Sent at the first step's rate before the steps, not recorded (JIT, connections, pools, caches). */
  readonly warmupMs: number;
  /** The service's own rate limiter, with its default per-operation limits when on (run.ts states them). */
  readonly rateLimit: 'off' | 'on';
  readonly restConnections: number;
  readonly grpcChannels: number;
  readonly timeoutMs: number;
  /** Where the JSON report goes (default: .cache/load/load-<time>.json). */
  readonly out: string | undefined;
}

const FULL = { listings: 100_000, startRate: 50, factor: 1.5, maxSteps: 10, stepMs: 30_000, warmupMs: 10_000 };
const QUICK = { listings: 10_000, startRate: 25, factor: 2, maxSteps: 6, stepMs: 8_000, warmupMs: 3_000 };

export const USAGE = `npm run load [-- options]
  --quick               10,000 listings, 8 s steps from 25/s doubling (default: 100,000, 30 s steps from 50/s x1.5)
  --listings N          listings seeded
  --start-rate R        requests/s of the first step
  --factor F            each step's rate over the previous one's
  --max-steps K         stop after K steps even if the SLO still holds
  --step-seconds S      length of each step
  --warmup-seconds S    unrecorded warm-up at the first rate
  --rate-limit off|on   the service's rate limiter with its default limits (default off)
  --out FILE            the JSON report (default .cache/load/load-<time>.json)`;

function number(args: readonly string[], name: string): number | undefined {
  const at = args.indexOf(name);
  if (at === -1) return undefined;
  const value = Number(args[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a positive number\n${USAGE}`);
  return value;
}

function rateLimit(args: readonly string[]): LoadSettings['rateLimit'] {
  const at = args.indexOf('--rate-limit');
  const value = at === -1 ? 'off' : args[at + 1];
  if (value === 'off' || value === 'on') return value;
  throw new Error(`--rate-limit takes off or on, not ${String(value)}\n${USAGE}`);
}

export function loadSettings(args: readonly string[]): LoadSettings {
  const base = args.includes('--quick') ? QUICK : FULL;
  const seconds = (name: string) => {
    const value = number(args, name);
    return value === undefined ? undefined : value * 1000;
  };
  const outAt = args.indexOf('--out');
  return {
    quick: args.includes('--quick'),
    listings: Math.round(number(args, '--listings') ?? base.listings),
    startRate: number(args, '--start-rate') ?? base.startRate,
    factor: number(args, '--factor') ?? base.factor,
    maxSteps: Math.round(number(args, '--max-steps') ?? base.maxSteps),
    stepMs: seconds('--step-seconds') ?? base.stepMs,
    warmupMs: seconds('--warmup-seconds') ?? base.warmupMs,
    rateLimit: rateLimit(args),
    restConnections: 100,
    grpcChannels: 100,
    timeoutMs: 10_000,
    out: outAt === -1 ? undefined : args[outAt + 1],
  };
}
