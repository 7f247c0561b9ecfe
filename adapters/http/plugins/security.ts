import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { AppError } from '../../../src/domain/errors.ts';

/**
 * Response headers for a JSON API: nothing here is ever a document, so the CSP forbids every load
 * (`default-src 'none'`) and framing. The docs page replaces that CSP with its own (see openapi.ts).
 * `Cross-Origin-Resource-Policy: same-site` lets the marketplace's front end on a sibling origin embed
 * what we serve (image URLs), but not any other site.
 */
const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  crossOriginResourcePolicy: { policy: 'same-site' },
  frameguard: { action: 'deny' },
};

/**
 * The headers helmet sets with {@link HELMET_OPTIONS}, by lower-case name. None of them depends on the request (no
 * CSP nonces, no per-request directives), so helmet runs once, against a response that only records them.
 */
export function securityHeaders(options: HelmetOptions = HELMET_OPTIONS): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return Object.freeze(headers);
}

/**
 * Sends {@link securityHeaders} on every answer, problems and 404s included. They are computed once at start-up;
 * helmet's Fastify plugin rebuilt them from the options on every request. Routes may replace one (the docs page's
 * CSP, files' sandbox CSP): a header set later wins.
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  const headers = securityHeaders();
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}

/** CORS as configured by `SVETULISTINGS_CORS_*` (flaw #34: the original allowed `*` whatever the settings). */
export interface CorsOptions {
  /** Exact origins (`https://svetu.rs`, `http://localhost:3000`); `*` allows any origin, but never with credentials. */
  readonly origins: readonly string[];
  readonly methods: readonly string[];
  /** Request headers a browser may send (Authorization, Idempotency-Key, If-Match...). */
  readonly headers: readonly string[];
  /** Cookies and client certificates; bearer tokens do not need it. Default false. */
  readonly credentials?: boolean;
  /** Response headers scripts may read. Default: the ones this API defines. */
  readonly exposedHeaders?: readonly string[];
  /** How long a browser may cache a preflight answer, in seconds. Default 600. */
  readonly maxAgeS?: number;
}

const DEFAULT_EXPOSED_HEADERS = [
  'ETag',
  'Location',
  'Retry-After',
  'WWW-Authenticate',
  'X-Request-Id',
  'Idempotent-Replayed',
  'X-Search-Engine',
];

/**
 * A request from an origin not on the list gets no CORS headers at all (the browser then withholds the answer);
 * a preflight from it is treated as a plain OPTIONS request (404/405). Requests without `Origin` (probes,
 * servers) are untouched, so `/livez` and friends answer everyone.
 */
export async function installCors(app: FastifyInstance, options: CorsOptions): Promise<void> {
  const anyOrigin = options.origins.includes('*');
  if (anyOrigin && options.credentials) {
    throw new AppError('CONFIG_INVALID', 'CORS cannot allow every origin (*) together with credentials');
  }
  for (const origin of options.origins) {
    if (origin !== '*' && !isOrigin(origin)) {
      throw new AppError('CONFIG_INVALID', `CORS origin "${origin}" is not scheme://host[:port]`);
    }
  }
  const allowed = new Set(options.origins);
  await app.register(cors, {
    origin: anyOrigin
      ? '*'
      : (origin: string | undefined, callback: (error: Error | null, origin: string | false) => void) =>
          callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: [...options.methods],
    allowedHeaders: [...options.headers],
    exposedHeaders: [...(options.exposedHeaders ?? DEFAULT_EXPOSED_HEADERS)],
    credentials: options.credentials ?? false,
    maxAge: options.maxAgeS ?? 600,
    strictPreflight: true,
  });
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}
