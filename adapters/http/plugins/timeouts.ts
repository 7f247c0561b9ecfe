import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import { AppError } from '../../../src/domain/errors.ts';

/**
 * Per-operation deadlines, the same table as the gRPC one (original §8) by operation kind. A route picks one
 * with `config: { timeout: 'get' }` or gives milliseconds (`config: { timeout: 2500 }`).
 */
export const REST_TIMEOUTS_MS = {
  get: 5_000,
  list: 5_000,
  create: 10_000,
  update: 10_000,
  delete: 15_000,
  search: 8_000,
} as const;

export type RestOperation = keyof typeof REST_TIMEOUTS_MS;

/** Unlisted routes, as in the original's table. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Above this share of its deadline a request is logged as slow (the original's near-timeout warning). */
const NEAR_DEADLINE = 0.8;

/** The time a request has, from its arrival. */
export interface Deadline {
  /**
   * Aborts when the deadline passes (reason: AppError DEADLINE_EXCEEDED) or the client goes away (reason:
   * AppError INTERRUPTED). Pass it to every I/O call so abandoned work stops.
   */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  /** Milliseconds left, at least 0; batch operations refuse to start with too little left. */
  remainingMs(): number;
}

declare module 'fastify' {
  interface FastifyRequest {
    deadline: Deadline;
  }
  interface FastifyContextConfig {
    timeout?: RestOperation | number;
  }
}

export interface TimeoutOptions {
  /** For routes without `config.timeout`. Default {@link DEFAULT_TIMEOUT_MS}. */
  readonly defaultMs?: number;
}

/**
 * Gives every request a {@link Deadline} and answers 504 DEADLINE_EXCEEDED when an async handler has not
 * finished by then; its late result is discarded. Call on the root instance before routes are registered:
 * handlers are wrapped as routes are added. A handler that does not return a promise (it sends through
 * `reply` itself) is not raced, but still gets the signal.
 */
export function installTimeouts(app: FastifyInstance, options: TimeoutOptions = {}): void {
  const defaultMs = options.defaultMs ?? DEFAULT_TIMEOUT_MS;
  const timers = new WeakMap<object, NodeJS.Timeout>();
  app.decorateRequest('deadline', null as unknown as Deadline);

  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function raceDeadline(request, reply) {
      const result: unknown = handler.call(this, request, reply);
      return isThenable(result) ? race(result, request.deadline.signal) : result;
    } as RouteHandlerMethod;
  });

  app.addHook('onRequest', async (request, reply) => {
    const timeoutMs = timeoutOf(request.routeOptions.config.timeout, defaultMs);
    const controller = new AbortController();
    const startedAt = performance.now();
    const timer = setTimeout(() => {
      request.log.warn({ timeout_ms: timeoutMs }, 'deadline exceeded');
      controller.abort(new AppError('DEADLINE_EXCEEDED', `no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    timers.set(request, timer);
    reply.raw.once('close', () => {
      clearTimeout(timer);
      if (!reply.raw.writableFinished)
        controller.abort(new AppError('INTERRUPTED', 'the client closed the connection'));
    });
    request.deadline = {
      signal: controller.signal,
      timeoutMs,
      remainingMs: () => Math.max(0, timeoutMs - (performance.now() - startedAt)),
    };
  });

  app.addHook('onResponse', async (request, reply) => {
    clearTimeout(timers.get(request));
    // Requests answered before our onRequest hook ran (a CORS preflight) have no deadline.
    const timeoutMs = (request.deadline as Deadline | null)?.timeoutMs;
    if (timeoutMs !== undefined && reply.statusCode !== 504 && reply.elapsedTime > timeoutMs * NEAR_DEADLINE) {
      request.log.warn({ timeout_ms: timeoutMs, duration_ms: Math.round(reply.elapsedTime) }, 'near deadline');
    }
  });
}

function timeoutOf(setting: RestOperation | number | undefined, defaultMs: number): number {
  if (typeof setting === 'number') return setting;
  return setting === undefined ? defaultMs : REST_TIMEOUTS_MS[setting];
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** Settles with the handler's outcome, or rejects with the signal's reason if that comes first. */
function race(work: PromiseLike<unknown>, signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      work.then(undefined, () => {});
      reject(signal.reason);
      return;
    }
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
