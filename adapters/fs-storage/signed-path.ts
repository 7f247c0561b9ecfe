import { createHmac, timingSafeEqual } from 'node:crypto';
import { validateObjectKey } from '../../ports/object-store.ts';

/**
 * Presigned GET URLs for the filesystem store: `/files/<key>?expires=<unix seconds>&signature=<base64url>`,
 * the signature being HMAC-SHA256(secret, "GET\n<key>\n<expires>"). `listings serve` answers such a path by
 * calling {@link verifySignedPath} and, when it passes, streaming `store.get(key)`; the secret never leaves
 * the server, so a URL cannot be forged, extended or pointed at another key.
 */
export const DEFAULT_SIGNED_PATH_BASE = '/files';

/** The `secret` must be at least this many bytes, so a signature cannot be guessed offline. */
export const MIN_SIGNING_SECRET_BYTES = 16;

export type SignedPathCheck =
  | { readonly ok: true; readonly key: string; readonly expiresAt: Date }
  | { readonly ok: false; readonly reason: 'malformed' | 'bad_signature' | 'expired' };

/** `/files/<key>?expires=...&signature=...` valid until `expiresAt` (its whole seconds). */
export function signPath(key: string, expiresAt: Date, secret: string, base = DEFAULT_SIGNED_PATH_BASE): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  const encodedKey = key.split('/').map(encodeURIComponent).join('/');
  return `${base}/${encodedKey}?expires=${expires}&signature=${signature(key, expires, secret)}`;
}

/**
 * Checks a request for a presigned object, as `listings serve` receives it.
 *
 * @param path the URL path, percent-encoded as it arrived (`/files/listings/42/cover.jpg`)
 * @param query the query string (with or without `?`), a URLSearchParams, or a parsed query object
 * @param secret the store's signing secret
 * @param now the current time (a Date or epoch milliseconds)
 * @param base the path prefix the URLs were signed under, `/files` by default
 * @returns the object key when the signature matches and `expires` is still in the future; otherwise why not
 *   (`malformed`: not a signed object path at all; `bad_signature`: tampered or signed with another secret;
 *   `expired`). Answer 404 for `malformed` and 403 for the other two.
 */
export function verifySignedPath(
  path: string,
  query: string | URLSearchParams | Readonly<Record<string, unknown>>,
  secret: string,
  now: Date | number,
  base = DEFAULT_SIGNED_PATH_BASE,
): SignedPathCheck {
  const key = keyOfPath(path, base);
  const params = toParams(query);
  const expiresText = params.get('expires');
  const given = params.get('signature');
  if (key === undefined || !expiresText || !/^\d{1,12}$/.test(expiresText) || !given) {
    return { ok: false, reason: 'malformed' };
  }
  const expires = Number(expiresText);
  const expected = Buffer.from(signature(key, expires, secret));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    return { ok: false, reason: 'bad_signature' };
  }
  const nowMs = typeof now === 'number' ? now : now.getTime();
  if (nowMs >= expires * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, key, expiresAt: new Date(expires * 1000) };
}

function signature(key: string, expires: number, secret: string): string {
  if (Buffer.byteLength(secret) < MIN_SIGNING_SECRET_BYTES) {
    throw new Error(`the signing secret must be at least ${MIN_SIGNING_SECRET_BYTES} bytes`);
  }
  return createHmac('sha256', secret).update(`GET\n${key}\n${expires}`).digest('base64url');
}

function keyOfPath(path: string, base: string): string | undefined {
  const prefix = `${base.replace(/\/+$/, '')}/`;
  if (!path.startsWith(prefix)) return undefined;
  try {
    const key = path.slice(prefix.length).split('/').map(decodeURIComponent).join('/');
    validateObjectKey(key);
    return key;
  } catch {
    return undefined;
  }
}

function toParams(query: string | URLSearchParams | Readonly<Record<string, unknown>>): URLSearchParams {
  if (query instanceof URLSearchParams) return query;
  if (typeof query === 'string') return new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (typeof value === 'string') params.set(name, value);
  return params;
}
