import type { DependencyCheck } from '../../ports/health-check.ts';

export type CheckStatus = 'healthy' | 'unhealthy' | 'timeout';

export interface CheckResult {
  readonly status: CheckStatus;
  readonly response_time_ms: number;
  readonly details?: string;
}

export interface HealthReport {
  readonly status: 'healthy' | 'degraded' | 'unhealthy';
  readonly checks: Record<string, CheckResult>;
}

/**
 * Runs every dependency check in parallel, each under its own timeout, and caches the report for
 * `cacheMs` so a storm of probes does not become a storm of queries on the database.
 */
export class HealthProbe {
  readonly #checks: readonly DependencyCheck[];
  readonly #timeoutMs: number;
  readonly #cacheMs: number;
  #cached: { at: number; report: HealthReport } | undefined;

  constructor(checks: readonly DependencyCheck[], options: { timeoutMs: number; cacheMs: number }) {
    this.#checks = checks;
    this.#timeoutMs = options.timeoutMs;
    this.#cacheMs = options.cacheMs;
  }

  async report(): Promise<HealthReport> {
    const now = Date.now();
    if (this.#cached && now - this.#cached.at < this.#cacheMs) return this.#cached.report;
    const results = await Promise.all(this.#checks.map((check) => this.#run(check)));
    const checks: Record<string, CheckResult> = {};
    let criticalDown = false;
    let anyDown = false;
    this.#checks.forEach((check, i) => {
      const result = results[i] as CheckResult;
      checks[check.name] = result;
      if (result.status !== 'healthy') {
        anyDown = true;
        if (check.critical) criticalDown = true;
      }
    });
    const report: HealthReport = { status: criticalDown ? 'unhealthy' : anyDown ? 'degraded' : 'healthy', checks };
    this.#cached = { at: now, report };
    return report;
  }

  async #run(check: DependencyCheck): Promise<CheckResult> {
    const started = performance.now();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve('timeout');
      }, this.#timeoutMs);
    });
    try {
      const outcome = await Promise.race([check.check(controller.signal).then(() => 'ok' as const), timeout]);
      const elapsed = Math.round(performance.now() - started);
      if (outcome === 'timeout')
        return { status: 'timeout', response_time_ms: elapsed, details: `no answer within ${this.#timeoutMs} ms` };
      return { status: 'healthy', response_time_ms: elapsed };
    } catch (error) {
      const elapsed = Math.round(performance.now() - started);
      return {
        status: 'unhealthy',
        response_time_ms: elapsed,
        details: error instanceof Error ? error.message : String(error),
      };
    } finally {
      clearTimeout(timer);
    }
  }
}
