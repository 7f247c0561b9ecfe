import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SeriesCounter, SeriesHistogram } from '../../../adapters/prometheus/series-metrics.ts';

const BUCKETS = [0.001, 0.01, 0.1, 1];

/** The same metrics twice: prom-client's own classes in one registry, the series ones in the other. */
function pair() {
  const reference = new Registry();
  const ours = new Registry();
  const common = { name: 'requests_total', help: 'Requests.', labelNames: ['method', 'path', 'status'] as const };
  const timing = { name: 'duration_seconds', help: 'Duration.', labelNames: ['method', 'path'] as const };
  return {
    reference,
    ours,
    referenceCounter: new Counter({ ...common, labelNames: [...common.labelNames], registers: [reference] }),
    referenceHistogram: new Histogram({
      ...timing,
      labelNames: [...timing.labelNames],
      buckets: BUCKETS,
      registers: [reference],
    }),
    counter: new SeriesCounter({ ...common, registers: [ours] }),
    histogram: new SeriesHistogram({ ...timing, buckets: BUCKETS, registers: [ours] }),
  };
}

describe('series metrics', () => {
  it('expose exactly what prom-client exposes for the same updates, through kept series and plain calls alike', async () => {
    const m = pair();
    const observations: [string, string, number, number][] = [
      ['GET', '/a/:id', 200, 0.0004],
      ['GET', '/a/:id', 200, 0.001],
      ['GET', '/a/:id', 304, 0.02],
      ['POST', '/a', 201, 0.5],
      ['GET', 'unmatched', 404, 3],
      ['GET', '/a/:id', 200, 0.1],
    ];
    const kept = m.histogram.series({ method: 'GET', path: '/a/:id' });
    for (const [method, path, status, seconds] of observations) {
      m.referenceCounter.inc({ method, path, status: String(status) });
      m.referenceHistogram.observe({ method, path }, seconds);
      if (method === 'GET' && path === '/a/:id') {
        m.counter.series({ method, path, status: String(status) }).inc();
        kept.observe(seconds);
      } else {
        m.counter.inc({ method, path, status: String(status) });
        m.histogram.observe({ method, path }, seconds);
      }
    }
    expect(await m.ours.metrics()).toBe(await m.reference.metrics());
    expect(await m.ours.getMetricsAsJSON()).toEqual(await m.reference.getMetricsAsJSON());
    expect(await m.ours.metrics()).toContain('duration_seconds_bucket{le="0.001",method="GET",path="/a/:id"} 2');
  });

  it('hand out one series per label set, count in place, and start over on reset', async () => {
    const m = pair();
    const one = m.counter.series({ method: 'GET', path: '/x', status: '200' });
    expect(m.counter.series({ status: '200', path: '/x', method: 'GET' })).toBe(one);
    one.inc();
    one.inc(2);
    expect((await m.counter.get()).values).toEqual([
      { labels: { method: 'GET', path: '/x', status: '200' }, value: 3 },
    ]);
    m.ours.resetMetrics();
    expect((await m.counter.get()).values).toEqual([]);
  });

  it('refuse a label the metric does not declare, as prom-client does', () => {
    const m = pair();
    expect(() => m.counter.inc({ method: 'GET', route: '/x' } as never)).toThrow(/route/);
    expect(() => m.referenceCounter.inc({ method: 'GET', route: '/x' } as never)).toThrow(/route/);
  });
});
