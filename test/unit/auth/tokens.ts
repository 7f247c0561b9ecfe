import { type CryptoKey, type JWTPayload, SignJWT } from 'jose';

/** A 32-byte HS256 secret shared by the tests. */
export const TEST_SECRET = 'test-secret-that-is-at-least-32-bytes-long';

export interface TokenOptions {
  readonly sub?: string;
  readonly roles?: readonly string[];
  readonly scope?: string;
  readonly expiresInS?: number;
  readonly issuer?: string;
  readonly audience?: string;
  readonly claims?: JWTPayload;
  readonly noExpiry?: boolean;
}

/** Signs a token the way an issuer would; defaults to user 42, no roles, valid for 5 minutes. */
export async function signToken(
  options: TokenOptions = {},
  key: Uint8Array | CryptoKey = new TextEncoder().encode(TEST_SECRET),
  header: { alg: string; kid?: string } = { alg: 'HS256' },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({
    ...(options.roles ? { roles: [...options.roles] } : {}),
    ...(options.scope ? { scope: options.scope } : {}),
    ...options.claims,
  })
    .setProtectedHeader(header)
    .setSubject(options.sub ?? '42')
    .setIssuedAt(now);
  if (!options.noExpiry) jwt = jwt.setExpirationTime(now + (options.expiresInS ?? 300));
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(key);
}
