import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningService, startService } from '../../../adapters/composition/service.ts';
import { loadConfig } from '../../../adapters/config/load.ts';

let service: RunningService;

beforeAll(async () => {
  const { config } = loadConfig({
    version: 'test',
    dotenvPath: false,
    environment: {},
    flags: {
      SVETULISTINGS_HTTP_HOST: '127.0.0.1',
      SVETULISTINGS_HTTP_PORT: '0',
      SVETULISTINGS_METRICS_HOST: '127.0.0.1',
      SVETULISTINGS_METRICS_PORT: '0',
    },
  });
  service = await startService({ config, logger: pino({ level: 'silent' }) });
});

afterAll(() => service.stop('test done'));

describe('metrics', () => {
  it('counts HTTP requests by route template and serves them on 8086 and on METRICS_PORT', async () => {
    const base = `http://127.0.0.1:${service.http.port}`;
    await fetch(`${base}/livez`);
    await fetch(`${base}/no/such/route/123`);
    const main = await (await fetch(`${base}/metrics`)).text();
    expect(main).toMatch(/listings_http_requests_total\{method="GET",path="\/livez",status="200"\} [1-9]/);
    expect(main).toMatch(/listings_http_requests_total\{method="GET",path="unmatched",status="404"\} [1-9]/);
    expect(main).toContain('listings_http_request_duration_seconds_bucket{le="1",method="GET",path="/livez"}');
    expect(main).toContain('listings_process_resident_memory_bytes');
    expect(main).not.toContain('/no/such/route/123');

    expect(service.metrics).toBeDefined();
    const extra = await fetch(`http://127.0.0.1:${service.metrics?.port}/metrics`);
    expect(extra.status).toBe(200);
    expect(await extra.text()).toContain('listings_http_requests_total');
  });
});
