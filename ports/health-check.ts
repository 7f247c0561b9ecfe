/**
 * One dependency the service needs (database, cache, search engine, object store), as readiness probes
 * see it. `check` resolves when the dependency answers and rejects with the reason otherwise; callers
 * apply their own timeout (`SVETULISTINGS_HEALTH_CHECK_TIMEOUT`, 5 s by default).
 */
export interface DependencyCheck {
  /** Stable name used in probe bodies and metrics: `database`, `redis`, `opensearch`, `minio`... */
  readonly name: string;
  /** When true, failure makes the service unready (503); otherwise it only degrades `/health`. */
  readonly critical: boolean;
  check(signal: AbortSignal): Promise<void>;
}
