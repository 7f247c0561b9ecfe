import type { CoreMetrics } from '../../ports/core-metrics.ts';
import type { MetricSet } from './metric-set.ts';
import type { CounterSeries, SeriesCounter } from './series-metrics.ts';

/** The series of one counter per cache type, found once (cache types are a handful of constants). */
function perCacheType(counter: SeriesCounter<'cache_type'>): (cacheType: string) => CounterSeries {
  const kept = new Map<string, CounterSeries>();
  return (cacheType) => {
    let series = kept.get(cacheType);
    if (series === undefined) {
      series = counter.series({ cache_type: cacheType });
      kept.set(cacheType, series);
    }
    return series;
  };
}

/** The core's business events, counted in Prometheus. */
export function prometheusCoreMetrics(metrics: MetricSet): CoreMetrics {
  const hits = perCacheType(metrics.cacheHits);
  const misses = perCacheType(metrics.cacheMisses);
  return {
    listingWritten(kind) {
      if (kind === 'created') metrics.listingsCreated.inc();
      else if (kind === 'updated') metrics.listingsUpdated.inc();
      else metrics.listingsDeleted.inc();
    },
    listingsSearched: (engine) => metrics.listingsSearched.inc({ engine }),
    stockOperation: (operation, status) => metrics.stockOperations.inc({ operation, status }),
    movementRecorded: (movementType) => metrics.movementsRecorded.inc({ movement_type: movementType }),
    movementFailed: (reason) => metrics.movementErrors.inc({ reason }),
    productViewed: () => metrics.productViews.inc(),
    productViewFailed: () => metrics.productViewErrors.inc(),
    lowStockReached: () => metrics.lowStockReached.inc(),
    databaseQuery: (operation, seconds) => metrics.dbQueryDuration.observe({ operation }, seconds),
    cacheLookup(cacheType, outcome) {
      if (outcome === 'hit') hits(cacheType).inc();
      else misses(cacheType).inc();
      if (outcome === 'error') metrics.cacheErrors.inc({ cache_type: cacheType });
    },
    componentError: (component, errorType) => metrics.errors.inc({ component, error_type: errorType }),
  };
}
