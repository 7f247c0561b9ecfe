import type { TokenVerifier } from '../../../ports/token-verifier.ts';
import { AppError, isAppError } from '../../../src/domain/errors.ts';
import type { CallState, GrpcLogger, Interceptor, Next } from '../context.ts';
import { AddressMatcher } from '../peer-address.ts';

export const SERVICE_ROLE = 'service';
/** Metadata a caller sets to name itself for `trustedServiceNames`. */
export const SERVICE_NAME_KEY = 'x-service-name';

export interface AuthOptions {
  /**
   * Verifies a bearer token (the TokenVerifier port's `verify`). Its AppErrors (UNAUTHENTICATED with an `auth.*`
   * reason, DEPENDENCY_UNAVAILABLE) are passed on; anything else it throws becomes UNAUTHENTICATED. When absent,
   * a presented token is refused rather than silently ignored.
   */
  readonly verifyToken?: TokenVerifier['verify'];
  /**
   * Compatibility for callers of the original service, which had no authentication (flaw #1). Off by default.
   * Callers without a token whose peer IP (never a forwarded header) matches one of these IPs or CIDR ranges
   * are admitted as a `service` principal.
   */
  readonly trustedPeers?: readonly string[];
  /**
   * Same, for callers without a token that send `x-service-name: <name>` with one of these names. The name is
   * self-declared: use only on a network where every caller is trusted.
   */
  readonly trustedServiceNames?: readonly string[];
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Turns the `authorization: Bearer <jwt>` metadata into `call.principal`. No token → anonymous (undefined): each
 * handler decides whether that is allowed. A bad token is UNAUTHENTICATED, never downgraded to anonymous.
 */
export function authInterceptor(options: AuthOptions, logger: GrpcLogger): Interceptor {
  const trustedPeers = new AddressMatcher(options.trustedPeers ?? []);
  const trustedNames = new Set(options.trustedServiceNames ?? []);
  if (trustedPeers.size > 0 || trustedNames.size > 0) {
    logger.warn(
      { trusted_peers: options.trustedPeers ?? [], trusted_service_names: [...trustedNames] },
      'grpc: callers without a token from trusted peers or service names are admitted with the service role',
    );
  }
  const verify = options.verifyToken;

  const authenticated = async (call: CallState, next: Next, header: string | Buffer) => {
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (token === undefined) throw new AppError('UNAUTHENTICATED', 'authorization must be "Bearer <token>"');
    if (verify === undefined) throw new AppError('UNAUTHENTICATED', 'token authentication is not configured');
    try {
      // Raced against the call's abort: the deadline layer above does not race (context.ts, Interceptor).
      call.principal = await Promise.race([verify(token), call.aborted]);
    } catch (error) {
      if (isAppError(error)) throw error;
      throw new AppError('UNAUTHENTICATED', 'invalid or expired token', { cause: error });
    }
    return next(call);
  };

  // Not async: a call without a token (the common anonymous read) goes on without a promise of its own.
  return (call, next) => {
    const header = call.metadata.get('authorization')[0];
    if (header !== undefined) return authenticated(call, next, header);
    // Looked up only when some name is trusted (a metadata lookup validates its key with a regular expression).
    const serviceName = trustedNames.size > 0 ? call.metadata.get(SERVICE_NAME_KEY)[0] : undefined;
    if (typeof serviceName === 'string' && trustedNames.has(serviceName)) {
      call.principal = { subject: `service:${serviceName}`, roles: [SERVICE_ROLE], kind: 'service' };
    } else if (trustedPeers.size > 0 && trustedPeers.matches(call.peerIp)) {
      call.principal = { subject: `peer:${call.peerIp}`, roles: [SERVICE_ROLE], kind: 'service' };
    }
    return next(call);
  };
}
