import { listingPageSchema } from '../../http/schemas/listing.ts';
import { searchPageSchema } from '../../http/schemas/search.ts';
import { type Check, CheckFailure, CheckSkipped } from './check.ts';
import { shapeErrors } from './json-shape.ts';
import { CORE_METRICS, parseMetricsText } from './metrics-text.ts';
import { expectStatus, type RestClient } from './rest-client.ts';

/** The read-only REST checks of ops-scripts.md §3.4: probes, metrics, version, and the read path. */
export function restChecks(rest: RestClient, options: { readonly expectVersion?: string | undefined }): Check[] {
  return [
    {
      name: 'rest.liveness',
      retryable: true,
      async run({ signal }) {
        const response = await rest.request('livez', { signal });
        expectStatus(response, 200, 'GET /livez');
        return { message: '/livez 200' };
      },
    },
    {
      name: 'rest.readiness',
      retryable: true,
      async run({ signal }) {
        const response = await rest.request('readyz', { signal });
        if (response.status === 503) {
          const failed = (response.json as { failed?: unknown } | undefined)?.failed;
          const names = Array.isArray(failed) && failed.length > 0 ? failed.join(', ') : 'not named';
          throw new CheckFailure('failed', `/readyz 503: not ready, down: ${names}`, { failed: failed ?? [] });
        }
        expectStatus(response, 200, 'GET /readyz');
        return { message: '/readyz 200 ready' };
      },
    },
    {
      name: 'rest.metrics',
      retryable: true,
      async run({ signal }) {
        const response = await rest.request('metrics', { signal, headers: { accept: 'text/plain' } });
        expectStatus(response, 200, 'GET /metrics');
        const parsed = parseMetricsText(response.text);
        if (parsed.errors.length > 0) {
          throw new CheckFailure('failed', `/metrics is not valid Prometheus text: ${parsed.errors[0]}`, {
            errors: parsed.errors,
          });
        }
        const missing = CORE_METRICS.filter((name) => !parsed.types.has(name));
        if (missing.length > 0) {
          throw new CheckFailure('failed', `/metrics lacks core metrics: ${missing.join(', ')}`, { missing });
        }
        return {
          message: `${parsed.types.size} metric families, ${parsed.samples} samples, core metrics present`,
          details: { families: parsed.types.size, samples: parsed.samples },
        };
      },
    },
    {
      name: 'rest.version',
      retryable: true,
      async run({ signal }) {
        // /health, not /readyz: it is the body that carries the version (the original's shape).
        const response = await rest.request('health', { signal });
        const version = (response.json as { version?: unknown } | undefined)?.version;
        if (typeof version !== 'string') {
          throw new CheckFailure('failed', `GET /health ${response.status} carries no version`, {
            status: response.status,
          });
        }
        if (options.expectVersion !== undefined && version !== options.expectVersion) {
          throw new CheckFailure('failed', `server reports version ${version}, expected ${options.expectVersion}`, {
            version,
            expected: options.expectVersion,
          });
        }
        const expected = options.expectVersion === undefined ? ' (no --expect-version given)' : ' as expected';
        return { message: `version ${version}${expected}`, details: { version } };
      },
    },
    {
      name: 'rest.list',
      retryable: true,
      async run({ signal }) {
        const response = await rest.request('api/v1/listings?limit=5', { signal });
        expectStatus(response, 200, 'GET /api/v1/listings');
        const errors = shapeErrors(response.json, listingPageSchema);
        if (errors.length > 0) throw new CheckFailure('failed', `list body off its schema: ${errors[0]}`, { errors });
        const page = response.json as { listings: unknown[]; total: number };
        return { message: `${page.listings.length} of ${page.total} listings, schema-valid` };
      },
    },
    {
      name: 'rest.search',
      retryable: true,
      async run({ signal }) {
        const response = await rest.request('api/v1/listings/search?limit=5', { signal });
        if (response.status === 501) throw new CheckSkipped('search is not configured on this server (501)');
        expectStatus(response, 200, 'GET /api/v1/listings/search');
        const errors = shapeErrors(response.json, searchPageSchema);
        if (errors.length > 0) {
          throw new CheckFailure('failed', `search body off its schema: ${errors[0]}`, { errors });
        }
        const page = response.json as { listings: unknown[]; total: number };
        return { message: `${page.listings.length} of ${page.total} searchable listings, schema-valid` };
      },
    },
  ];
}
