import { readFile } from 'node:fs/promises';
import type { TokenVerifier } from '../../ports/token-verifier.ts';
import { AppError } from '../../src/domain/errors.ts';
import { type JwtKeySource, JwtVerifier } from './jwt-verifier.ts';
import { NoneVerifier } from './none-verifier.ts';

/** The auth settings as the composition root passes them; an empty string means "not set". */
export interface TokenVerifierSettings {
  /** `SVETULISTINGS_AUTH_JWT_SECRET`: HS256 shared secret. */
  readonly jwtSecret?: string;
  /** `SVETULISTINGS_AUTH_JWKS_URL`: the issuer's JWKS endpoint (RS256/ES256). */
  readonly jwksUrl?: string;
  /**
   * `SVETULISTINGS_AUTH_PUBLIC_KEY_PATH`: a PEM public key or certificate. Pass it only when the operator set it
   * (the config's default `/keys/public.pem` must not turn authentication on by itself).
   */
  readonly publicKeyPath?: string;
  readonly issuer?: string | readonly string[];
  readonly audience?: string | readonly string[];
}

/**
 * Chooses the verifier from the settings: the one configured key source, or {@link NoneVerifier} (anonymous
 * only) when there is none. Two sources at once are refused, because which key wins would be a guess.
 */
export async function createTokenVerifier(settings: TokenVerifierSettings): Promise<TokenVerifier> {
  const sources: JwtKeySource[] = [];
  if (settings.jwtSecret) sources.push({ kind: 'secret', secret: settings.jwtSecret });
  if (settings.jwksUrl) sources.push({ kind: 'jwks', url: settings.jwksUrl });
  if (settings.publicKeyPath) sources.push({ kind: 'public-key', pem: await readPem(settings.publicKeyPath) });
  if (sources.length > 1) {
    throw new AppError(
      'CONFIG_INVALID',
      'configure one of AUTH_JWT_SECRET, AUTH_JWKS_URL, AUTH_PUBLIC_KEY_PATH, not several',
    );
  }
  const [key] = sources;
  if (key === undefined) return new NoneVerifier();
  return new JwtVerifier({
    key,
    ...(settings.issuer === undefined ? {} : { issuer: settings.issuer }),
    ...(settings.audience === undefined ? {} : { audience: settings.audience }),
  });
}

async function readPem(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `cannot read the JWT public key file ${path}`, { cause: error });
  }
}
