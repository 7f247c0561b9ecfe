import { type CoreMetrics, NO_METRICS } from '../../../ports/core-metrics.ts';

/** CoreMetrics that remembers cache lookups, component errors and listing writes as `kind:outcome` strings. */
export function recordingMetrics(): CoreMetrics & { readonly events: string[] } {
  const events: string[] = [];
  return {
    ...NO_METRICS,
    events,
    cacheLookup(cacheType, outcome) {
      events.push(`${cacheType}:${outcome}`);
    },
    componentError(component, errorType) {
      events.push(`${component}:${errorType}`);
    },
    listingWritten(kind) {
      events.push(`listing:${kind}`);
    },
  };
}
