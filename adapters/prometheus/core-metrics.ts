import type { CoreMetrics } from '../../ports/core-metrics.ts';
import type { MetricSet } from './metric-set.ts';

/** The core's business events, counted in Prometheus. */
export function prometheusCoreMetrics(metrics: MetricSet): CoreMetrics {
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
      if (outcome === 'hit') metrics.cacheHits.inc({ cache_type: cacheType });
      else metrics.cacheMisses.inc({ cache_type: cacheType });
      if (outcome === 'error') metrics.cacheErrors.inc({ cache_type: cacheType });
    },
    componentError: (component, errorType) => metrics.errors.inc({ component, error_type: errorType }),
  };
}
