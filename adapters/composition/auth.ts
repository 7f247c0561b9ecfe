import type { TokenVerifier } from '../../ports/token-verifier.ts';
import { createTokenVerifier } from '../auth/create-token-verifier.ts';
import type { Config } from '../config/config.ts';

/**
 * The one token verifier of the process, shared by REST and gRPC. With no key configured it refuses every
 * token, so callers are anonymous (public reads only) until an operator configures one.
 */
export function buildTokenVerifier(config: Config): Promise<TokenVerifier> {
  const { auth } = config;
  return createTokenVerifier({
    ...(auth.jwtSecret ? { jwtSecret: auth.jwtSecret } : {}),
    ...(auth.jwksUrl ? { jwksUrl: auth.jwksUrl } : {}),
    ...(auth.publicKeyConfigured ? { publicKeyPath: auth.publicKeyPath } : {}),
    ...(auth.issuer ? { issuer: auth.issuer } : {}),
    ...(auth.audience ? { audience: auth.audience } : {}),
  });
}
