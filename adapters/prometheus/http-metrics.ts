import type { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { routeFacts } from '../http/route-facts.ts';
import type { MetricSet } from './metric-set.ts';

/**
 * Instruments every HTTP request (the original never did) and serves `GET /metrics`. The `path` label
 * is the route template (`/api/v1/listings/:id`), or `unmatched`, so label values stay bounded.
 */
export function httpMetricsPlugin(metrics: MetricSet) {
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
        metrics.httpRequests.inc({ method: request.method, path, status: String(reply.statusCode) });
        metrics.httpDuration.observe({ method: request.method, path }, reply.elapsedTime / 1000);
      }
      done();
    });
    app.get('/metrics', async (_request, reply) => {
      const body = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(body);
    });
  });
}
