import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, errors as jose, jwtVerify } from 'jose';
import type { Principal } from '../../ports/principal.ts';
import type { TokenVerifier } from '../../ports/token-verifier.ts';
import { AppError } from '../../src/domain/errors.ts';

/** Where the signing key comes from. Exactly one per verifier: mixing sources makes "which key?" ambiguous. */
export type JwtKeySource =
  /** A shared secret (HS256), at least 32 bytes as RFC 7518 §3.2 requires. */
  | { readonly kind: 'secret'; readonly secret: string }
  /** The issuer's JWKS endpoint (RS256/ES256); keys are cached and refetched on an unknown `kid`. */
  | { readonly kind: 'jwks'; readonly url: string; readonly timeoutMs?: number }
  /** One public key or certificate in PEM (the original's `AUTH_PUBLIC_KEY_PATH` holds such a file). */
  | { readonly kind: 'public-key'; readonly pem: string };

export interface JwtVerifierOptions {
  readonly key: JwtKeySource;
  /** Accepted `iss` values; unchecked when absent. */
  readonly issuer?: string | readonly string[];
  /** Accepted `aud` values; unchecked when absent. */
  readonly audience?: string | readonly string[];
  /** Allowed skew between our clock and the issuer's, in seconds. Default 30. */
  readonly clockToleranceS?: number;
  /** Overrides the algorithms derived from the key source (HS256; RS256+ES256; the PEM key's own). */
  readonly algorithms?: readonly string[];
}

const MIN_SECRET_BYTES = 32;
const SERVICE_ROLE = 'service';

/**
 * Verifies JWTs with jose. The accepted algorithms are pinned to the key's type, so a token cannot pick
 * its own (no `none`, no HS256 signed with a public key). `sub` and `exp` are required: a token that never
 * expires is refused rather than trusted forever.
 */
export class JwtVerifier implements TokenVerifier {
  readonly #key: Uint8Array | KeyObject | JWTVerifyGetKey;
  readonly #remote: boolean;
  readonly #options: Parameters<typeof jwtVerify>[2];

  constructor(options: JwtVerifierOptions) {
    const { key, algorithms } = keyFor(options.key);
    this.#key = key;
    this.#remote = options.key.kind === 'jwks';
    this.#options = {
      algorithms: [...(options.algorithms ?? algorithms)],
      clockTolerance: options.clockToleranceS ?? 30,
      requiredClaims: ['sub', 'exp'],
      ...(options.issuer === undefined ? {} : { issuer: asList(options.issuer) }),
      ...(options.audience === undefined ? {} : { audience: asList(options.audience) }),
    };
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      // The overloads of jwtVerify differ only in the key's type; one call site keeps the options in one place.
      const result = await jwtVerify(token, this.#key as Uint8Array, this.#options);
      payload = result.payload;
    } catch (error) {
      throw refusal(error, this.#remote);
    }
    return principalFrom(payload);
  }
}

function keyFor(source: JwtKeySource): { key: Uint8Array | KeyObject | JWTVerifyGetKey; algorithms: string[] } {
  switch (source.kind) {
    case 'secret': {
      const key = new TextEncoder().encode(source.secret);
      if (key.byteLength < MIN_SECRET_BYTES) {
        throw new AppError('CONFIG_INVALID', `the JWT secret must be at least ${MIN_SECRET_BYTES} bytes for HS256`);
      }
      return { key, algorithms: ['HS256'] };
    }
    case 'jwks': {
      let url: URL;
      try {
        url = new URL(source.url);
      } catch {
        throw new AppError('CONFIG_INVALID', `the JWKS URL is not a URL: ${source.url}`);
      }
      const key = createRemoteJWKSet(url, { timeoutDuration: source.timeoutMs ?? 5000 });
      return { key, algorithms: ['RS256', 'ES256'] };
    }
    case 'public-key': {
      let key: KeyObject;
      try {
        key = createPublicKey(source.pem);
      } catch (error) {
        throw new AppError('CONFIG_INVALID', 'the JWT public key is not a PEM public key or certificate', {
          cause: error,
        });
      }
      return { key, algorithms: algorithmsOf(key) };
    }
  }
}

/** The one algorithm family a PEM key can verify, so the token's header cannot choose another. */
function algorithmsOf(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return ['RS256'];
    case 'rsa-pss':
      return ['PS256'];
    case 'ed25519':
      return ['EdDSA', 'Ed25519'];
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'prime256v1') return ['ES256'];
      if (curve === 'secp384r1') return ['ES384'];
      if (curve === 'secp521r1') return ['ES512'];
      break;
    }
  }
  throw new AppError(
    'CONFIG_INVALID',
    `the JWT public key type is not supported: ${key.asymmetricKeyType ?? 'unknown'}`,
  );
}

function asList(value: string | readonly string[]): string[] {
  return typeof value === 'string' ? [value] : [...value];
}

function unauthenticated(reason: string, message: string): AppError {
  return new AppError('UNAUTHENTICATED', message, { reason: `auth.${reason}` });
}

/** Why jose refused the token, as a stable reason; key-server trouble is ours, not the caller's. */
function refusal(error: unknown, remote: boolean): AppError {
  if (error instanceof jose.JWTExpired) return unauthenticated('token_expired', 'the token has expired');
  if (error instanceof jose.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return unauthenticated('missing_claim', `the token has no "${error.claim}" claim`);
    if (error.claim === 'aud') return unauthenticated('wrong_audience', 'the token is meant for another audience');
    if (error.claim === 'iss') return unauthenticated('wrong_issuer', 'the token comes from an untrusted issuer');
    if (error.claim === 'nbf') return unauthenticated('not_yet_valid', 'the token is not valid yet');
    return unauthenticated('invalid_claims', `the token's "${error.claim}" claim is invalid`);
  }
  if (error instanceof jose.JWSSignatureVerificationFailed)
    return unauthenticated('bad_signature', 'the token signature is invalid');
  if (error instanceof jose.JOSEAlgNotAllowed)
    return unauthenticated('algorithm_not_allowed', 'the token algorithm is not accepted');
  if (error instanceof jose.JOSENotSupported)
    return unauthenticated('algorithm_not_allowed', 'the token algorithm is not supported');
  if (error instanceof jose.JWKSNoMatchingKey || error instanceof jose.JWKSMultipleMatchingKeys) {
    return unauthenticated('unknown_key', 'the token was signed by an unknown key');
  }
  if (error instanceof jose.JWSInvalid || error instanceof jose.JWTInvalid || error instanceof jose.JWKInvalid) {
    return unauthenticated('malformed_token', 'the token is malformed');
  }
  // What remains is the key server failing (timeout, non-200, bad JSON, network): the token may be valid.
  if (remote)
    return new AppError('DEPENDENCY_UNAVAILABLE', 'the token signing keys could not be fetched', { cause: error });
  return unauthenticated('malformed_token', 'the token could not be verified');
}

function principalFrom(payload: JWTPayload): Principal {
  const subject = payload.sub;
  if (typeof subject !== 'string' || subject === '')
    throw unauthenticated('invalid_claims', 'the token subject is empty');
  const roles = rolesOf(payload);
  const principal: Principal = { subject, roles, kind: roles.includes(SERVICE_ROLE) ? 'service' : 'user' };
  const userId = /^[1-9]\d{0,15}$/.test(subject) ? Number(subject) : undefined;
  return userId !== undefined && Number.isSafeInteger(userId) ? { ...principal, userId } : principal;
}

/** Roles from a `roles` array claim and/or an OAuth `scope` string, deduplicated. */
function rolesOf(payload: JWTPayload): string[] {
  const roles = new Set<string>();
  if (Array.isArray(payload.roles)) {
    for (const role of payload.roles) if (typeof role === 'string' && role !== '') roles.add(role);
  }
  if (typeof payload.scope === 'string') {
    for (const scope of payload.scope.split(/\s+/)) if (scope !== '') roles.add(scope);
  }
  return [...roles];
}
