import type { FastifyInstance } from 'fastify';
import type { HealthProbe, HealthReport } from '../health-probe.ts';

export interface HealthRouteOptions {
  readonly probe: HealthProbe;
  readonly version: string;
  readonly startedAt: number;
  /** False once shutdown began: readiness then answers 503 so load balancers drain us. */
  readonly isAccepting: () => boolean;
  /** The original answered `starting` for this long after start-up (5 s). */
  readonly startupGraceMs: number;
}

const unixSeconds = () => Math.floor(Date.now() / 1000);

function startupAnswer(status: 'started' | 'starting', description: string) {
  return {
    description,
    type: 'object',
    required: ['status', 'timestamp'],
    additionalProperties: false,
    properties: {
      status: { type: 'string', enum: [status] },
      timestamp: { type: 'integer', description: 'Unix time of the answer, in seconds.' },
    },
  } as const;
}

/** The startup probe's two answers; its 503 is the probe's own body, not a problem document. */
const STARTUP_SCHEMA = {
  summary: 'Startup probe',
  description:
    'Answers 503 `starting` for the first 5 s after start-up, then as readiness does: 200 `started` when ready, ' +
    '503 `starting` when not (the original service probe, kept for its orchestrator settings).',
  response: {
    200: startupAnswer('started', 'Started and ready.'),
    503: startupAnswer('starting', 'Still starting, or not ready.'),
  },
};

function uptime(startedAt: number): string {
  const minutes = Math.floor((Date.now() - startedAt) / 60_000);
  return `${Math.floor(minutes / 60)}h${minutes % 60}m`;
}

function failedChecks(report: HealthReport): string[] {
  return Object.entries(report.checks)
    .filter(([, result]) => result.status !== 'healthy')
    .map(([name]) => name);
}

/**
 * Liveness and readiness. `/livez` answers while the process runs; `/readyz` answers 200 only when
 * every critical dependency responds and the service is not shutting down. The original's paths
 * (`/health`, `/ready`, `/health/live`, `/health/ready`, `/health/startup`, `/health/deep`) keep their
 * bodies so existing probes and dashboards keep working.
 */
export async function healthRoutes(app: FastifyInstance, options: HealthRouteOptions): Promise<void> {
  const { probe, version, startedAt, isAccepting } = options;

  async function readiness(): Promise<{ ready: boolean; body: Record<string, unknown> }> {
    if (!isAccepting())
      return { ready: false, body: { status: 'not_ready', failed: ['shutting_down'], timestamp: unixSeconds() } };
    const report = await probe.report();
    const ready = report.status !== 'unhealthy';
    const body = {
      status: ready ? 'ready' : 'not_ready',
      failed: failedChecks(report),
      checks: report.checks,
      timestamp: unixSeconds(),
    };
    return { ready, body };
  }

  async function health(): Promise<Record<string, unknown>> {
    const report = await probe.report();
    return {
      status: isAccepting() ? report.status : 'unhealthy',
      version,
      uptime: uptime(startedAt),
      checks: report.checks,
      timestamp: new Date().toISOString(),
    };
  }

  for (const path of ['/livez', '/health/live']) {
    app.get(path, async () => ({ status: 'healthy', timestamp: unixSeconds() }));
  }

  for (const path of ['/readyz', '/ready', '/health/ready']) {
    app.get(path, async (_request, reply) => {
      const { ready, body } = await readiness();
      return reply.code(ready ? 200 : 503).send(body);
    });
  }

  app.get('/health/startup', { schema: STARTUP_SCHEMA }, async (_request, reply) => {
    const started = Date.now() - startedAt >= options.startupGraceMs && (await readiness()).ready;
    return reply.code(started ? 200 : 503).send({ status: started ? 'started' : 'starting', timestamp: unixSeconds() });
  });

  app.get('/health', async (_request, reply) => {
    const body = await health();
    return reply.code(body.status === 'unhealthy' ? 503 : 200).send(body);
  });

  app.get('/health/deep', async (_request, reply) => {
    const body = await health();
    const memory = process.memoryUsage();
    const diagnostics = {
      node: process.version,
      pid: process.pid,
      uptime_s: Math.round(process.uptime()),
      memory: { rss: memory.rss, heap_used: memory.heapUsed, heap_total: memory.heapTotal, external: memory.external },
      active_handles: process.getActiveResourcesInfo().length,
      event_loop_utilization: performance.eventLoopUtilization().utilization,
    };
    return reply.code(body.status === 'unhealthy' ? 503 : 200).send({ ...body, diagnostics });
  });
}
