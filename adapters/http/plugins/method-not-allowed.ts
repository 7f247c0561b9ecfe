import type { FastifyInstance, FastifyRequest } from 'fastify';
import FindMyWay from 'find-my-way';

/**
 * Every method each route path answers, so an unmatched request can be told 405 (with `Allow`) when its path
 * exists for other methods, instead of 404 (the original gave either, by accident: flaw #33).
 *
 * Paths are matched by find-my-way, Fastify's own router, so `:id`, `:id(^\\d+$)`, `*` and the other pattern
 * forms match exactly as they do for dispatch. Its options are Fastify's defaults, which the app keeps.
 */
export class RouteMethods {
  readonly #router = FindMyWay();
  readonly #methods = new Set<string>();

  /** Records routes as they are added; call on the root instance before any route is registered. */
  track(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      // `OPTIONS *` is the CORS preflight catch-all: it does not make every path exist.
      if (route.url === '*' || route.url === '/*') return;
      for (const method of Array.isArray(route.method) ? route.method : [route.method]) this.#add(method, route.url);
    });
  }

  /** The methods `request`'s path answers, sorted; empty when no route has that path at all. */
  allowedMethods(request: FastifyRequest): string[] {
    const allowed: string[] = [];
    for (const method of this.#methods) {
      if (this.#router.find(method as FindMyWay.HTTPMethod, request.url) !== null) allowed.push(method);
    }
    return allowed.sort();
  }

  #add(method: string, url: string): void {
    try {
      this.#router.on(method as FindMyWay.HTTPMethod, url, () => {});
      this.#methods.add(method);
    } catch {
      // Same method and path again (with a different constraint): already known.
    }
  }
}
