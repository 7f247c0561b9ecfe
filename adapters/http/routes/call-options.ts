import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CallOptions } from '../../../src/products/call-context.ts';
import { idempotentRequest } from '../idempotency.ts';

/** The request's deadline and cancellation, as the batch use cases take them (they refuse to start short of 5 s). */
export function callOptions(request: FastifyRequest, idempotencyScope?: string): CallOptions {
  const idempotency = idempotencyScope === undefined ? undefined : idempotentRequest(request, idempotencyScope);
  return {
    signal: request.deadline.signal,
    deadline: Date.now() + request.deadline.remainingMs(),
    ...(idempotency === undefined ? {} : { idempotency }),
  };
}

/** 201 with `Location`; a replayed idempotent create says so (`Idempotent-Replayed: true`) and answers the same. */
export function created(reply: FastifyReply, location: string, replayed: boolean): FastifyReply {
  reply.code(201).header('location', location);
  if (replayed) reply.header('idempotent-replayed', 'true');
  return reply;
}

/**
 * The original marked every listing route's answer (`X-Served-By: microservice`). An `onSend` hook, so errors
 * raised before the route's own hooks run (a refused token) are marked too. Sync (done callback): no promise per
 * request.
 */
export function servedByMicroservice(
  _request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (error: Error | null, payload?: unknown) => void,
): void {
  reply.header('x-served-by', 'microservice');
  done(null, payload);
}

export const API_PREFIX = '/api/v1';
