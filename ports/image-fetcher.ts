import type { Readable } from 'node:stream';

/**
 * Downloads an image a user names by URL ("import from a link"). Adapter: `adapters/http-fetch`.
 *
 * The URL is chosen by the caller, so an adapter is the server-side request forgery boundary. Guarantees:
 * - Only `http:` and `https:` URLs, without credentials in them; anything else is `VALIDATION_FAILED` (field `url`,
 *   reason `scheme_not_allowed` / `credentials_not_allowed`).
 * - Every address the host resolves to is checked before connecting, and the connection goes to a checked address
 *   (no second resolution an attacker's DNS could answer differently). Loopback, private (10/8, 172.16/12,
 *   192.168/16, 100.64/10), link-local (169.254/16, fe80::/10), unique-local (fc00::/7), unspecified (0.0.0.0, ::),
 *   multicast and reserved ranges are refused (`VALIDATION_FAILED`, reason `address_not_allowed`) unless the
 *   adapter's allowlist names them.
 * - Redirects are followed up to the adapter's limit (3 by default), each target checked like the first URL;
 *   more is `VALIDATION_FAILED` (reason `too_many_redirects`).
 * - A response other than 2xx is `VALIDATION_FAILED` (reason `fetch_failed`, with the status in the details); a host
 *   that cannot be resolved or reached is `VALIDATION_FAILED` (reason `unreachable`).
 * - `maxBytes` is enforced while streaming: a `Content-Length` above it is refused before the body is read, and the
 *   body stream fails with `PAYLOAD_TOO_LARGE` as soon as it passes it.
 * - The whole exchange (resolution, connection, redirects and the body) has a time limit; passing it makes the call
 *   or the body stream fail with `DEADLINE_EXCEEDED`. `signal` aborts the same way with its reason.
 */
export interface ImageFetcher {
  fetch(url: string, options: FetchOptions): Promise<FetchedImage>;
}

export interface FetchOptions {
  /** Largest accepted body, in bytes. */
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
}

export interface FetchedImage {
  /** The bytes; read it to its end or destroy it, or the connection stays open. */
  readonly body: Readable;
  /** The URL that answered, after redirects. */
  readonly url: string;
  /** The server's `Content-Type`, untrusted (the caller sniffs the bytes). */
  readonly contentType: string | undefined;
  /** The server's `Content-Length` in bytes, when it sent one. */
  readonly contentLength: number | undefined;
}
