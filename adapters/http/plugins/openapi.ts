import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyContextConfig, FastifyInstance, FastifySchema } from 'fastify';
import { DEFAULT_PROBLEM_RESPONSES } from '../problem-schema.ts';

export interface OpenApiOptions {
  /** `info.version` of the document: the service's version. */
  readonly version: string;
  readonly title?: string;
  readonly description?: string;
}

export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PATH = '/docs';

const DESCRIPTION =
  'Listings of the marketplace. Errors are `application/problem+json` (RFC 9457) with a stable `code`. ' +
  'Writes take `Idempotency-Key`; reads send a strong `ETag`, updates honour `If-Match`. ' +
  'Bodies are the resources themselves, never wrapped in a `{"data": …}` envelope (the original server never sent ' +
  'one); JSON keys are snake_case as the original service used, and null fields and empty relations are omitted. ' +
  'Authenticate with `Authorization: Bearer <JWT>`; anonymous callers read public, active listings only.';

/**
 * OpenAPI 3.1, generated from the JSON Schemas routes declare (`schema: { params, querystring, body, response }`),
 * served at `/openapi.json`, with a browsable page at `/docs`. Call on the root instance before any route is
 * registered: routes are collected as they are added. Every operation is documented with the 4XX/5XX Problem
 * responses and with the bearer requirement its `config.auth` implies, without routes repeating either.
 */
export async function installOpenApi(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: options.title ?? 'listings',
        version: options.version,
        description: options.description ?? DESCRIPTION,
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    // Shared schemas keep their `$id` as component name (`#/components/schemas/Problem`), not `def-0`.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
    transform: ({ schema, url, route }) => ({ url, schema: documented(schema, route.config) }),
  });

  app.get(OPENAPI_PATH, { schema: { hide: true }, config: { auth: 'none' } }, async () => app.swagger());

  await app.register(async (docs) => {
    // The docs page and its assets are public, like the document they show.
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, auth: 'none' };
    });
    await docs.register(swaggerUi, {
      routePrefix: DOCS_PATH,
      uiConfig: { deepLinking: true, validatorUrl: null },
      // Replaces the API's `default-src 'none'` with the hashes of swagger-ui's own scripts and styles; the
      // page must also work over plain http on a LAN, so no `upgrade-insecure-requests`.
      staticCSP: true,
      transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, ''),
    });
  });
}

function documented(schema: FastifySchema | undefined, config: FastifyContextConfig | undefined): FastifySchema {
  const own = (schema?.response ?? {}) as Record<string, unknown>;
  const hasSuccess = Object.keys(own).some((status) => /^[23]|^default$/i.test(status));
  const response = {
    ...(hasSuccess ? {} : { 200: { description: 'Success' } }),
    ...DEFAULT_PROBLEM_RESPONSES,
    ...own,
  };
  const security = securityFor(config?.auth);
  return { ...schema, response, ...(security && !('security' in (schema ?? {})) ? { security } : {}) } as FastifySchema;
}

function securityFor(auth: FastifyContextConfig['auth']): Record<string, string[]>[] | undefined {
  if (auth === 'required') return [{ bearerAuth: [] }];
  if (auth === 'none') return undefined;
  // Optional: anonymous or with a token (an empty requirement object means "no credentials").
  return [{}, { bearerAuth: [] }];
}
