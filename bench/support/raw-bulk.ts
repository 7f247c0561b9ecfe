import type { Client } from '@opensearch-project/opensearch';
import { percentile } from './load.ts';

/**
 * The baseline of the index-burst benchmark: ready-made NDJSON `_bulk` bodies (the worker's own action lines:
 * `index` with `version_type: external_gte`) sent by `concurrency` callers, each request after the previous one,
 * then one `_refresh` so every document is searchable, as the worker's figure ends when they are.
 */
export async function sendRawBulk(
  client: Client,
  bodies: readonly (string | Buffer)[],
  concurrency: number,
  refreshTarget: string,
): Promise<{ seconds: number; p50Ms: number; p99Ms: number; errors: number }> {
  let next = 0;
  let errors = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const caller = async () => {
    for (let i = next++; i < bodies.length; i = next++) {
      const sent = performance.now();
      const response = await client.transport.request({
        method: 'POST',
        path: '/_bulk',
        querystring: { require_alias: 'true' },
        bulkBody: bodies[i] as string | Buffer,
      });
      latencies.push(performance.now() - sent);
      const body = response.body as { errors: boolean; items: Record<string, { status: number }>[] };
      if (body.errors) errors += body.items.filter((item) => (Object.values(item)[0]?.status ?? 500) >= 300).length;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  await client.transport.request({ method: 'POST', path: `/${refreshTarget}/_refresh` });
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), errors };
}
