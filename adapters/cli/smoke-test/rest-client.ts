import { CheckFailure } from './check.ts';

export interface RestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

export interface RestRequest {
  readonly method?: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as `Authorization: Bearer …` when set. */
  readonly token?: string | undefined;
  readonly signal: AbortSignal;
}

/**
 * The REST side of the smoke test: plain fetch against `--http-url`. A request that gets no answer becomes an
 * `unreachable` failure naming the URL and the network error (ECONNREFUSED, ENOTFOUND...), which is what an
 * operator needs to tell a wrong URL from a broken service.
 */
export class RestClient {
  readonly baseUrl: URL;

  constructor(baseUrl: string) {
    this.baseUrl = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  }

  /** `path` is relative to the base URL (`livez`, `api/v1/listings`), or an absolute URL (image links). */
  url(path: string): URL {
    return new URL(path.replace(/^\//, ''), this.baseUrl);
  }

  async request(path: string, request: RestRequest): Promise<RestResponse> {
    const url = /^https?:\/\//.test(path) ? new URL(path) : this.url(path);
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (request.token) headers.authorization = `Bearer ${request.token}`;
    let body: FormData | string | undefined;
    if (request.body instanceof FormData) body = request.body;
    else if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await fetch(url, { method: request.method ?? 'GET', headers, body, signal: request.signal });
    } catch (error) {
      if (request.signal.aborted) throw error;
      throw new CheckFailure('unreachable', `${request.method ?? 'GET'} ${url.href}: ${networkError(error)}`, {
        url: url.href,
      });
    }
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: parseJson(text) };
  }

  async bytes(path: string, signal: AbortSignal): Promise<{ status: number; type: string; bytes: number }> {
    const url = /^https?:\/\//.test(path) ? new URL(path) : this.url(path);
    try {
      const response = await fetch(url, { signal });
      const buffer = await response.arrayBuffer();
      return { status: response.status, type: response.headers.get('content-type') ?? '', bytes: buffer.byteLength };
    } catch (error) {
      if (signal.aborted) throw error;
      throw new CheckFailure('unreachable', `GET ${url.href}: ${networkError(error)}`, { url: url.href });
    }
  }
}

/** undici reports "fetch failed" and keeps the reason in `cause` (code ECONNREFUSED, ENOTFOUND...). */
function networkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  const message = error instanceof Error ? error.message : String(error);
  return cause?.message ? `${message}: ${cause.message}` : message;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Fails unless the status is the expected one. 401/403 are `auth` failures (our token), so a bad token exits 3
 * with the server's own words instead of looking like a broken service.
 */
export function expectStatus(response: RestResponse, expected: number, what: string): void {
  if (response.status === expected) return;
  const problem = response.json as { code?: string; detail?: string; title?: string } | undefined;
  const said = problem?.detail ?? problem?.title ?? response.text.slice(0, 200);
  const code = problem?.code ? ` ${problem.code}` : '';
  const kind = response.status === 401 || response.status === 403 ? 'auth' : 'failed';
  const hint =
    response.status === 401
      ? ' (the canary token was refused)'
      : response.status === 403
        ? ' (the canary token lacks the rights: a user token whose numeric sub owns the canary is needed)'
        : '';
  throw new CheckFailure(kind, `${what}: expected ${expected}, got ${response.status}${code}: ${said}${hint}`, {
    status: response.status,
    ...(problem?.code ? { code: problem.code } : {}),
  });
}
