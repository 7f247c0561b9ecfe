import type { FastifyContextConfig, FastifyRequest, FastifySchema } from 'fastify';

/** What the app's hooks read about a request's route. */
export interface RouteFacts {
  /** The route template (`/api/v1/listings/:id`); undefined for a request no route matched. */
  readonly url: string | undefined;
  readonly config: FastifyContextConfig;
  readonly schema: FastifySchema | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by {@link routeFacts} on first use; app.ts decorates it so every request has the same shape. */
    routeFacts: RouteFacts | null;
  }
}

/**
 * The route facts of `request`, read once per request. Fastify's `request.routeOptions` is a getter that builds a new
 * object of a dozen members (and asks the router about version constraints) on every access, and half a dozen hooks
 * (deadline, authentication, strict input, rate limit, metrics, access log) each asked it on every request.
 */
export function routeFacts(request: FastifyRequest): RouteFacts {
  let facts = request.routeFacts;
  if (facts === null || facts === undefined) {
    const options = request.routeOptions;
    facts = { url: options.url, config: options.config, schema: options.schema };
    request.routeFacts = facts;
  }
  return facts;
}
