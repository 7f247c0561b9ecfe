import type { Knex } from 'knex';
import type { MetricSet } from '../prometheus/metric-set.ts';

/** How often pool and stock gauges are refreshed (the original sampled its pool every 15 s). */
const SAMPLE_INTERVAL_MS = 15_000;

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/**
 * Database metrics: query durations by statement kind (select, insert, update, delete, other — bounded), pool
 * connections open/idle/waiting, and the B2C stock gauges, sampled every 15 s. Returns a function that stops the
 * sampling and detaches the listeners.
 */
export function instrumentDatabase(knex: Knex, metrics: MetricSet): () => void {
  const started = new Map<string, number>();
  const onQuery = (query: { __knexQueryUid?: string }) => {
    if (query.__knexQueryUid) started.set(query.__knexQueryUid, performance.now());
  };
  const onDone = (_response: unknown, query: { __knexQueryUid?: string; sql?: string }) => {
    const uid = query.__knexQueryUid;
    const begin = uid === undefined ? undefined : started.get(uid);
    if (uid === undefined || begin === undefined) return;
    started.delete(uid);
    metrics.dbQueryDuration.observe({ operation: statementKind(query.sql) }, (performance.now() - begin) / 1000);
  };
  const onError = (_error: unknown, query: { __knexQueryUid?: string }) => {
    if (query.__knexQueryUid) started.delete(query.__knexQueryUid);
  };
  knex.on('query', onQuery).on('query-response', onDone).on('query-error', onError);

  const sample = async () => {
    const pool = (knex.client as { pool?: TarnPool }).pool;
    if (pool) {
      metrics.dbOpen.set(pool.numUsed() + pool.numFree());
      metrics.dbIdle.set(pool.numFree());
      metrics.dbWaiting.set(pool.numPendingAcquires());
    }
    try {
      const result = await knex.raw(
        `SELECT coalesce(sum(price * quantity), 0)::float8 AS value,
                count(*) FILTER (WHERE stock_status = 'out_of_stock')::int AS out_of_stock
         FROM listings WHERE source_type = 'b2c' AND is_deleted = false`,
      );
      const row = (result.rows ?? result)[0] as { value: number; out_of_stock: number } | undefined;
      metrics.stockValue.set(Number(row?.value ?? 0));
      metrics.outOfStockProducts.set(Number(row?.out_of_stock ?? 0));
    } catch {
      metrics.errors.inc({ component: 'metrics', error_type: 'stock_gauges_failed' });
    }
  };
  void sample();
  const timer = setInterval(() => void sample(), SAMPLE_INTERVAL_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    knex.off('query', onQuery).off('query-response', onDone).off('query-error', onError);
  };
}

function statementKind(sql: string | undefined): string {
  const verb = /^\s*(\w+)/.exec(sql ?? '')?.[1]?.toLowerCase();
  return verb === 'select' || verb === 'insert' || verb === 'update' || verb === 'delete' ? verb : 'other';
}
