import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { SeriesCounter, SeriesHistogram } from './series-metrics.ts';

/**
 * Every metric of the original service (namespace `listings`, same names), each one really updated,
 * plus the ones it lacked. Labels are bounded: route templates not URLs, method names not ids; the
 * original's `product_id`/`storefront_id` labels are dropped because they grew without limit.
 *
 * Latency buckets bracket the SLO (P95 < 1 s, P99 < 2 s) so both quantiles are read off a bucket edge.
 */
export const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10];

export function createMetricSet(options: { collectProcessMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.collectProcessMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'listings_' });
  const registers = [registry];

  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    new Histogram<L>({ name, help, labelNames, buckets, registers });

  return {
    registry,
    grpcRequests: counter(
      'listings_grpc_requests_total',
      'gRPC calls by full method path and status (success or code name).',
      ['method', 'status'],
    ),
    grpcDuration: histogram(
      'listings_grpc_request_duration_seconds',
      'gRPC call duration.',
      ['method'],
      LATENCY_BUCKETS,
    ),
    grpcActive: gauge('listings_grpc_handler_requests_active', 'gRPC calls in progress.', ['method']),
    // Updated on every HTTP request through series kept per route (http-metrics.ts, series-metrics.ts).
    httpRequests: new SeriesCounter({
      name: 'listings_http_requests_total',
      help: 'HTTP requests by method, route template and status code.',
      labelNames: ['method', 'path', 'status'],
      registers,
    }),
    httpDuration: new SeriesHistogram({
      name: 'listings_http_request_duration_seconds',
      help: 'HTTP request duration.',
      labelNames: ['method', 'path'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    httpInFlight: gauge('listings_http_requests_in_flight', 'HTTP requests in progress.'),
    listingsCreated: counter('listings_listings_created_total', 'Listings and products created.'),
    listingsUpdated: counter('listings_listings_updated_total', 'Listings and products updated.'),
    listingsDeleted: counter('listings_listings_deleted_total', 'Listings and products deleted.'),
    listingsSearched: counter('listings_listings_searched_total', 'Searches run, by engine.', ['engine']),
    dbOpen: gauge('listings_db_connections_open', 'Database connections open (in use + idle).'),
    dbIdle: gauge('listings_db_connections_idle', 'Database connections idle in the pool.'),
    dbWaiting: gauge('listings_db_connections_waiting', 'Callers waiting for a database connection.'),
    dbQueryDuration: histogram(
      'listings_db_query_duration_seconds',
      'Database operation duration.',
      ['operation'],
      LATENCY_BUCKETS,
    ),
    // Counted on every cached read through series kept per cache type (core-metrics.ts, series-metrics.ts).
    cacheHits: new SeriesCounter({
      name: 'listings_cache_hits_total',
      help: 'Cache hits by cache type.',
      labelNames: ['cache_type'],
      registers,
    }),
    cacheMisses: new SeriesCounter({
      name: 'listings_cache_misses_total',
      help: 'Cache misses by cache type (errors count as misses too).',
      labelNames: ['cache_type'],
      registers,
    }),
    cacheErrors: counter('listings_cache_errors_total', 'Cache operations that failed and fell back to the database.', [
      'cache_type',
    ]),
    indexingQueueSize: gauge('listings_indexing_queue_size', 'Index jobs pending or in progress.'),
    indexingOldestPendingSeconds: gauge(
      'listings_indexing_oldest_pending_age_seconds',
      'Age of the oldest pending index job.',
    ),
    indexingDeadLetters: gauge('listings_indexing_dead_letters', 'Index jobs that exhausted their retries.'),
    indexingLag: histogram(
      'listings_indexing_lag_seconds',
      'From the commit of a write to its document being searchable.',
      [],
      [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    ),
    indexingJobs: counter(
      'listings_indexing_jobs_processed_total',
      'Index jobs processed, by operation and status (success/failed).',
      ['operation', 'status'],
    ),
    indexingJobDuration: histogram(
      'listings_indexing_job_duration_seconds',
      'Index job (batch) duration.',
      [],
      [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10],
    ),
    indexingBatches: counter(
      'listings_indexing_batches_total',
      'Bulk requests sent by the indexing worker, by outcome.',
      ['outcome'],
    ),
    errors: counter('listings_errors_total', 'Failures that did not reach a caller, by component and type.', [
      'component',
      'error_type',
    ]),
    productViews: counter('listings_inventory_product_views_total', 'Product views recorded.'),
    productViewErrors: counter('listings_inventory_product_views_errors_total', 'Product views that failed to record.'),
    stockOperations: counter('listings_inventory_stock_operations_total', 'Stock operations by operation and status.', [
      'operation',
      'status',
    ]),
    lowStockReached: counter(
      'listings_inventory_stock_low_threshold_reached_total',
      'Stock changes that reached the low-stock threshold.',
    ),
    movementsRecorded: counter('listings_inventory_movements_recorded_total', 'Inventory movements written, by type.', [
      'movement_type',
    ]),
    movementErrors: counter('listings_inventory_movements_errors_total', 'Inventory movements refused, by reason.', [
      'reason',
    ]),
    stockValue: gauge(
      'listings_inventory_stock_value',
      'Sum of price × quantity over live B2C products (refreshed periodically).',
    ),
    outOfStockProducts: gauge(
      'listings_inventory_out_of_stock_products',
      'Live B2C products that are out of stock (refreshed periodically).',
    ),
    rateLimitHits: counter('listings_rate_limit_hits_total', 'Calls seen by the rate limiter.', [
      'method',
      'identifier_type',
    ]),
    rateLimitAllowed: counter('listings_rate_limit_allowed_total', 'Calls the rate limiter let through.', [
      'method',
      'identifier_type',
    ]),
    rateLimitRejected: counter('listings_rate_limit_rejected_total', 'Calls the rate limiter rejected.', [
      'method',
      'identifier_type',
    ]),
    rateLimitFailOpen: counter(
      'listings_rate_limit_fail_open_total',
      'Calls let through because the limiter store was unreachable.',
      ['method'],
    ),
    timeouts: counter('listings_timeouts_total', 'Calls that exceeded their deadline.', ['method']),
    nearTimeouts: counter('listings_near_timeouts_total', 'Calls that used more than 80 % of their deadline.', [
      'method',
    ]),
    timeoutDuration: histogram(
      'listings_timeout_duration_seconds',
      'Elapsed time of calls that timed out.',
      ['method'],
      [0.1, 0.5, 1, 2, 5, 10, 15, 20, 30],
    ),
  };
}

export type MetricSet = ReturnType<typeof createMetricSet>;
