import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { pipeline, Transform } from 'node:stream';
import type { FetchedImage, FetchOptions, ImageFetcher } from '../../ports/image-fetcher.ts';
import { AppError, isAppError, validationError } from '../../src/domain/errors.ts';
import { AddressPolicy } from './address-policy.ts';

export interface HttpImageFetcherSettings {
  /** Addresses or CIDR ranges admitted although private or loopback (see address-policy.ts). Default none. */
  readonly allow?: readonly string[];
  /** Redirects followed; default 3. */
  readonly maxRedirects?: number;
  /** Time limit of the whole exchange, body included, in milliseconds; default 20 s. */
  readonly timeoutMs?: number;
  readonly userAgent?: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * ImageFetcher on Node's http/https clients. The server-side request forgery defences of the port are here:
 * the host is resolved by our own `lookup`, which refuses the request when any address it resolves to is not
 * allowed and hands the socket only a checked address (so DNS cannot answer differently between check and
 * connect); an IP literal is checked before connecting; each redirect target goes through the same steps. No
 * proxy, no cookies, no credentials are ever sent.
 */
export class HttpImageFetcher implements ImageFetcher {
  readonly #policy: AddressPolicy;
  readonly #maxRedirects: number;
  readonly #timeoutMs: number;
  readonly #userAgent: string;
  readonly #lookup: LookupFunction;

  constructor(settings: HttpImageFetcherSettings = {}) {
    this.#policy = new AddressPolicy(settings.allow ?? []);
    this.#maxRedirects = settings.maxRedirects ?? 3;
    this.#timeoutMs = settings.timeoutMs ?? 20_000;
    this.#userAgent = settings.userAgent ?? 'listings-image-import';
    this.#lookup = checkedLookup(this.#policy);
  }

  async fetch(url: string, options: FetchOptions): Promise<FetchedImage> {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort(new AppError('DEADLINE_EXCEEDED', `the image was not downloaded within ${this.#timeoutMs} ms`));
    }, this.#timeoutMs);
    const onCallerAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const release = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onCallerAbort);
    };
    try {
      if (options.signal?.aborted) throw options.signal.reason;
      let target = this.#checkUrl(url);
      for (let redirects = 0; ; redirects++) {
        const response = await this.#get(target, controller.signal);
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (REDIRECTS.has(status) && location !== undefined) {
          response.destroy();
          if (redirects >= this.#maxRedirects) {
            throw urlError('too_many_redirects', `more than ${this.#maxRedirects} redirects`);
          }
          target = this.#checkUrl(new URL(location, target).toString());
          continue;
        }
        if (status < 200 || status > 299) {
          response.destroy();
          throw urlError('fetch_failed', `the image URL answered HTTP ${status}`, { status });
        }
        const length = Number(response.headers['content-length']);
        if (Number.isSafeInteger(length) && length > options.maxBytes) {
          response.destroy();
          throw tooLarge(options.maxBytes);
        }
        const body = limitedBody(response, options.maxBytes, controller.signal, release);
        return {
          body,
          url: target.toString(),
          contentType: response.headers['content-type'],
          contentLength: Number.isSafeInteger(length) && length >= 0 ? length : undefined,
        };
      }
    } catch (error) {
      release();
      throw error;
    }
  }

  #checkUrl(text: string): URL {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw urlError('invalid_format', 'url is not a valid absolute URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw urlError('scheme_not_allowed', 'only http and https URLs can be imported');
    }
    if (url.username !== '' || url.password !== '') {
      throw urlError('credentials_not_allowed', 'the URL must not contain a user name or password');
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // Node connects to an IP literal without calling `lookup`, so check it here.
    if (isIP(host) !== 0 && !this.#policy.isAllowed(host)) throw addressNotAllowed(host);
    return url;
  }

  #get(url: URL, signal: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const options: RequestOptions = {
        method: 'GET',
        agent: false,
        lookup: this.#lookup,
        headers: {
          accept: 'image/avif,image/webp,image/png,image/jpeg;q=0.9,*/*;q=0.1',
          'user-agent': this.#userAgent,
        },
      };
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options);
      const onAbort = () => request.destroy(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      request.once('response', (response) => {
        signal.removeEventListener('abort', onAbort);
        resolve(response);
      });
      request.once('error', (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? signal.reason : translateNetworkError(error, url));
      });
      request.end();
    });
  }
}

/** dns.lookup, refusing when any resolved address is not allowed; always answers checked addresses only. */
function checkedLookup(policy: AddressPolicy): LookupFunction {
  type Callback = (error: Error | null, address?: string | LookupAddress[], family?: number) => void;
  return ((hostname: string, options: { family?: number; hints?: number; all?: boolean }, callback: Callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0, hints: options.hints ?? 0 }, (error, found) => {
      if (error) return callback(error);
      const addresses = found as LookupAddress[];
      const refused = addresses.find((entry) => !policy.isAllowed(entry.address));
      if (refused !== undefined || addresses.length === 0) {
        return callback(addressNotAllowed(hostname, refused?.address));
      }
      const first = addresses[0] as LookupAddress;
      return options.all ? callback(null, addresses) : callback(null, first.address, first.family);
    });
  }) as unknown as LookupFunction;
}

/** The response body, failing with PAYLOAD_TOO_LARGE past `maxBytes` and with the abort reason on the deadline. */
function limitedBody(response: IncomingMessage, maxBytes: number, signal: AbortSignal, release: () => void): Transform {
  let size = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) done(tooLarge(maxBytes));
      else done(null, chunk);
    },
  });
  const onAbort = () => limiter.destroy(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  pipeline(response, limiter, () => {
    signal.removeEventListener('abort', onAbort);
    release();
  });
  return limiter;
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `the image is larger than the limit of ${maxBytes} bytes`, {
    details: { maxBytes },
  });
}

function translateNetworkError(error: unknown, url: URL): unknown {
  if (isAppError(error)) return error;
  const code = (error as NodeJS.ErrnoException).code ?? 'ERROR';
  return urlError('unreachable', `the image URL could not be reached (${code})`, { host: url.hostname, code });
}

function addressNotAllowed(host: string, address?: string): AppError {
  const message = `the image URL points to an address that may not be fetched (${host})`;
  return urlError('address_not_allowed', message, address === undefined ? { host } : { host, address });
}

function urlError(reason: string, message: string, details: Record<string, unknown> = {}): AppError {
  const error = validationError([{ field: 'url', reason, message }]);
  return new AppError(error.code, error.message, { violations: error.violations, details });
}
