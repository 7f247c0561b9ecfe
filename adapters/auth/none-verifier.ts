import type { Principal } from '../../ports/principal.ts';
import type { TokenVerifier } from '../../ports/token-verifier.ts';
import { AppError } from '../../src/domain/errors.ts';

/**
 * The verifier used when no key is configured: every caller is anonymous. A presented token is refused
 * rather than ignored, so a client that believes it is authenticated learns at once that it is not.
 */
export class NoneVerifier implements TokenVerifier {
  async verify(_token: string): Promise<Principal> {
    throw new AppError('UNAUTHENTICATED', 'this server accepts no tokens: authentication is not configured', {
      reason: 'auth.not_configured',
    });
  }
}
