import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { IdempotencyKey } from '../../ports/idempotency-store.ts';
import { AppError } from '../../src/domain/errors.ts';

/** What a create use case needs to replay a retried request (flaw #4), read from the HTTP request. */
export interface IdempotentRequest {
  /** Scope (the operation), principal and the client's key: the store's key. */
  readonly key: IdempotencyKey;
  /** SHA-256 (hex) of the canonical JSON body: the same key with another body is IDEMPOTENCY_KEY_REUSED. */
  readonly requestHash: string;
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** 1–255 visible ASCII characters, as Stripe and the IETF draft's examples use (UUIDs, ULIDs...). */
const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Reads `Idempotency-Key` for the operation `scope` (e.g. `listings.create`); undefined without the header.
 * The key is scoped to the caller (`user:42`, `service:orders`, `anonymous`), so one caller can never replay
 * another's response. The draft standard sends the key as a structured-field string (`"abc"`); the quotes
 * are accepted and dropped. A malformed key is 400.
 */
export function idempotentRequest(request: FastifyRequest, scope: string): IdempotentRequest | undefined {
  const raw = request.headers[IDEMPOTENCY_HEADER];
  if (raw === undefined) return undefined;
  const value = Array.isArray(raw) ? undefined : unquote(raw.trim());
  if (value === undefined || !KEY.test(value)) {
    const message = 'Idempotency-Key must be one value of 1 to 255 visible ASCII characters';
    throw new AppError('VALIDATION_FAILED', message, {
      violations: [{ field: 'Idempotency-Key', reason: 'malformed', message }],
    });
  }
  const principal =
    request.principal === undefined ? 'anonymous' : `${request.principal.kind}:${request.principal.subject}`;
  return { key: { scope, principal, key: value }, requestHash: requestHash(request.body) };
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/**
 * SHA-256 (hex) of the body in canonical form: object keys sorted at every depth, no whitespace, so
 * `{"a":1,"b":2}` and `{ "b": 2, "a": 1 }` are the same request. Strings and buffers are hashed as sent.
 */
export function requestHash(body: unknown): string {
  const hash = createHash('sha256');
  if (typeof body === 'string' || body instanceof Uint8Array) hash.update(body);
  else hash.update(canonicalJson(body ?? null));
  return hash.digest('hex');
}

/** JSON with object keys sorted recursively; `undefined` members are dropped as JSON.stringify drops them. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, member]) => `${JSON.stringify(name)}:${canonicalJson(member)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
