import type { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { routeFacts } from '../http/route-facts.ts';
import type { MetricSet } from './metric-set.ts';
import type { CounterSeries, HistogramSeries } from './series-metrics.ts';

/** The series one method of one route updates: its duration, and its count per status code. */
interface RouteSeries {
  readonly duration: HistogramSeries;
  readonly byStatus: Map<number, CounterSeries>;
}

/**
 * Instruments every HTTP request (the original never did) and serves `GET /metrics`. The `path` label
 * is the route template (`/api/v1/listings/:id`), or `unmatched`, so label values stay bounded.
 */
export function httpMetricsPlugin(metrics: MetricSet) {
  // Found once per method, route and status, then updated in place: no label hashing per request. Bounded like the
  // labels: method names, route templates and status codes.
  const routes = new Map<string, Map<string, RouteSeries>>();
  const seriesOf = (method: string, path: string): RouteSeries => {
    let byPath = routes.get(method);
    if (byPath === undefined) {
      byPath = new Map();
      routes.set(method, byPath);
    }
    let series = byPath.get(path);
    if (series === undefined) {
      series = { duration: metrics.httpDuration.series({ method, path }), byStatus: new Map() };
      byPath.set(path, series);
    }
    return series;
  };

  // fastify-plugin: the hooks must see every route of the app, not only those of this plugin.
  return fastifyPlugin(async function httpMetrics(app: FastifyInstance): Promise<void> {
    // Sync hooks (done callbacks): an async hook costs a promise and a microtask turn on every request.
    app.addHook('onRequest', (_request, _reply, done) => {
      metrics.httpInFlight.inc();
      done();
    });
    app.addHook('onResponse', (request, reply, done) => {
      metrics.httpInFlight.dec();
      const path = routeFacts(request).url ?? 'unmatched';
      if (path !== '/metrics') {
        const method = request.method;
        const series = seriesOf(method, path);
        const status = reply.statusCode;
        let requests = series.byStatus.get(status);
        if (requests === undefined) {
          requests = metrics.httpRequests.series({ method, path, status: String(status) });
          series.byStatus.set(status, requests);
        }
        requests.inc();
        series.duration.observe(reply.elapsedTime / 1000);
      }
      done();
    });
    app.get('/metrics', async (_request, reply) => {
      const body = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(body);
    });
  });
}
