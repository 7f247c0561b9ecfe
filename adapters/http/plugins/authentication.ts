import type { FastifyInstance, FastifyPluginAsync, FastifyPluginOptions, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../../ports/principal.ts';
import type { TokenVerifier } from '../../../ports/token-verifier.ts';
import { hasRole, type Role } from '../../../src/domain/access.ts';
import { AppError, isAppError } from '../../../src/domain/errors.ts';
import { routeFacts } from '../route-facts.ts';

/**
 * How a route treats credentials (`config: { auth }`):
 * - `optional` (default): a presented token is verified (a bad one is 401), none means anonymous; the handler
 *   decides with {@link requirePrincipal} & co.
 * - `required`: no token is 401 before the body is even read.
 * - `none`: the Authorization header is ignored (probes, docs), so a stale token never breaks them.
 */
export type AuthMode = 'none' | 'optional' | 'required';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller, or undefined for an anonymous request. Set before body parsing. */
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    auth?: AuthMode;
  }
}

export interface AuthenticationOptions {
  readonly verifier: TokenVerifier;
  /** The `realm` of `WWW-Authenticate` challenges. */
  readonly realm?: string;
}

/**
 * Authenticates every request from `Authorization: Bearer <token>` (flaw #1: the original believed the ids in
 * the request). Call on the root instance, before routes are registered. A 401 always carries a
 * `WWW-Authenticate: Bearer` challenge (RFC 6750), with `error="invalid_token"` when a token was refused.
 */
export function installAuthentication(app: FastifyInstance, options: AuthenticationOptions): void {
  const realm = options.realm ?? 'listings';
  app.decorateRequest('principal', undefined);

  const refuse = (reply: FastifyReply, error: unknown): unknown => {
    if (isAppError(error) && error.code === 'UNAUTHENTICATED')
      reply.header('www-authenticate', challenge(realm, error));
    return error;
  };

  // Sync hooks (done callbacks; a throw becomes the request's error): anonymous requests, the common case, cost no
  // promise. Only a presented token waits for the verifier.
  app.addHook('onRequest', (request, reply, done) => {
    const mode = routeFacts(request).config.auth ?? 'optional';
    // An unknown route protects nothing; its caller learns more from the 404/405 than from a 401.
    if (mode === 'none' || request.is404) return done();
    const header = request.headers.authorization;
    if (header === undefined) {
      if (mode === 'required') throw new AppError('UNAUTHENTICATED', 'a bearer token is required');
      return done();
    }
    let token: string;
    try {
      token = bearerToken(header);
    } catch (error) {
      throw refuse(reply, error);
    }
    options.verifier.verify(token).then(
      (principal) => {
        request.principal = principal;
        done();
      },
      (error: unknown) => done(refuse(reply, error) as Error),
    );
  });

  // 401s raised later (requirePrincipal in a handler, a use case's access rule) still need a challenge.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode === 401 && !reply.hasHeader('www-authenticate'))
      reply.header('www-authenticate', `Bearer realm="${realm}"`);
    done(null, payload);
  });
}

function bearerToken(header: string): string {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  if (!match?.[1]) {
    throw new AppError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <token>"', {
      reason: 'auth.malformed_header',
    });
  }
  return match[1];
}

function challenge(realm: string, error: AppError): string {
  const code = error.reason === 'auth.malformed_header' ? 'invalid_request' : 'invalid_token';
  // RFC 6750 §3: error_description may not contain `"` or `\`.
  const description = error.message.replace(/["\\]/g, "'");
  return `Bearer realm="${realm}", error="${code}", error_description="${description}"`;
}

/**
 * Wraps a route plugin so each of its routes defaults to `auth: 'none'` (health probes, metrics, docs): they
 * answer whatever Authorization header a probe or a browser happens to send. Not for a fastify-plugin
 * (skip-override) plugin such as the metrics one: wrapping would confine its hooks to this scope. Give such
 * a route `config: { auth: 'none' }` itself.
 */
export function publicRoutes<Options extends FastifyPluginOptions>(
  plugin: FastifyPluginAsync<Options>,
): FastifyPluginAsync<Options> {
  return async (scope, options) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, auth: route.config?.auth ?? 'none' };
    });
    await scope.register(plugin, options);
  };
}

/** The caller, or 401. For handlers of `optional` routes that need an identity on some paths only. */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (request.principal === undefined) throw new AppError('UNAUTHENTICATED', 'this operation requires a bearer token');
  return request.principal;
}

/** The caller if it holds `role`, else 403 (401 when anonymous). Stock writes need `service` (flaw #2). */
export function requireRole(request: FastifyRequest, role: Role): Principal {
  const principal = requirePrincipal(request);
  if (!hasRole(principal, role)) throw new AppError('PERMISSION_DENIED', `this operation requires the ${role} role`);
  return principal;
}

/**
 * The caller if it is the owner (`userId` from the token, never from the request) or an admin, else 403.
 * Services are not owners: a route that serves them too checks {@link requireRole} first. Use cases apply the
 * same rules from `src/domain/access.ts`; this guard is for routes that must refuse before doing any work.
 */
export function requireOwnerOrAdmin(request: FastifyRequest, ownerUserId: number): Principal {
  const principal = requirePrincipal(request);
  if (hasRole(principal, 'admin') || principal.userId === ownerUserId) return principal;
  throw new AppError('PERMISSION_DENIED', 'only the owner or an admin may do this');
}
