import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { AppError } from '../../../src/domain/errors.ts';
import { DeadlineTimer, type Expiring, type Tracked } from '../deadline-timer.ts';
import { routeFacts } from '../route-facts.ts';

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
 *
 * Cheap per request: one {@link DeadlineTimer} serves every request of the app, and the AbortController (with its
 * listener for a client that goes away) is made only for handlers that read `deadline.signal`.
 */
export function installTimeouts(app: FastifyInstance, options: TimeoutOptions = {}): void {
  const defaultMs = options.defaultMs ?? DEFAULT_TIMEOUT_MS;
  const timer = new DeadlineTimer();
  app.decorateRequest('deadline', null as unknown as Deadline);

  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function raceDeadline(request, reply) {
      const result: unknown = handler.call(this, request, reply);
      return isThenable(result) ? (request.deadline as RequestDeadline).race(result) : result;
    } as RouteHandlerMethod;
  });

  app.addHook('onRequest', (request, reply, done) => {
    const timeoutMs = timeoutOf(routeFacts(request).config.timeout, defaultMs);
    const deadline = new RequestDeadline(timeoutMs, request, reply);
    request.deadline = deadline;
    deadline.tracked = timer.add(deadline);
    done();
  });

  app.addHook('onResponse', (request, reply, done) => {
    // Requests answered before our onRequest hook ran (a CORS preflight) have no deadline.
    const deadline = request.deadline as RequestDeadline | null;
    if (deadline !== null) {
      if (deadline.tracked !== undefined) timer.delete(deadline.tracked);
      const { timeoutMs } = deadline;
      if (reply.statusCode !== 504 && reply.elapsedTime > timeoutMs * NEAR_DEADLINE) {
        request.log.warn({ timeout_ms: timeoutMs, duration_ms: Math.round(reply.elapsedTime) }, 'near deadline');
      }
    }
    done();
  });
}

/** A request's deadline: tracked by the app's {@link DeadlineTimer}, which calls `expire` when it passes. */
class RequestDeadline implements Deadline, Expiring {
  readonly timeoutMs: number;
  readonly expiresAt: number;
  /** Its place in the app's timer, from the onRequest hook on. */
  tracked: Tracked | undefined;
  readonly #startedAt: number;
  readonly #request: FastifyRequest;
  readonly #reply: FastifyReply;
  #controller: AbortController | undefined;
  #reason: AppError | undefined;
  /** Rejects the raced handler result, once `race` has been called. */
  #rejectRace: ((reason: unknown) => void) | undefined;

  constructor(timeoutMs: number, request: FastifyRequest, reply: FastifyReply) {
    this.timeoutMs = timeoutMs;
    this.#startedAt = performance.now();
    this.expiresAt = this.#startedAt + timeoutMs;
    this.#request = request;
    this.#reply = reply;
  }

  /** Made on first use: most handlers never look at it. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = new AbortController();
      this.#controller = controller;
      if (this.#reason !== undefined) controller.abort(this.#reason);
      else this.#watchClient(controller);
    }
    return this.#controller.signal;
  }

  remainingMs(): number {
    return Math.max(0, this.timeoutMs - (performance.now() - this.#startedAt));
  }

  /** Settles with `work`'s outcome, or rejects with DEADLINE_EXCEEDED if the deadline passes first. */
  race(work: PromiseLike<unknown>): Promise<unknown> {
    if (this.#reason !== undefined) {
      work.then(undefined, () => {});
      return Promise.reject(this.#reason);
    }
    return new Promise((resolve, reject) => {
      this.#rejectRace = reject;
      work.then(resolve, reject);
    });
  }

  expire(): void {
    this.#request.log.warn({ timeout_ms: this.timeoutMs }, 'deadline exceeded');
    this.#reason = new AppError('DEADLINE_EXCEEDED', `no answer within ${this.timeoutMs} ms`);
    // The race first: a handler that gives up on the signal with its own error must still answer 504.
    this.#rejectRace?.(this.#reason);
    this.#controller?.abort(this.#reason);
  }

  /** Aborts with INTERRUPTED when the client closes the connection before the answer is complete. */
  #watchClient(controller: AbortController): void {
    const response = this.#reply.raw;
    const interrupt = () => {
      if (!response.writableFinished) controller.abort(new AppError('INTERRUPTED', 'the client closed the connection'));
    };
    if (response.closed) interrupt();
    else response.once('close', interrupt);
  }
}

function timeoutOf(setting: RestOperation | number | undefined, defaultMs: number): number {
  if (typeof setting === 'number') return setting;
  return setting === undefined ? defaultMs : REST_TIMEOUTS_MS[setting];
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
