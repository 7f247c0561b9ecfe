import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AppError, ERROR_CATALOGUE, type ErrorCode } from '../../src/domain/errors.ts';
import { HTTP_STATUS } from './status-codes.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An RFC 9457 problem document, extended with the catalogue `code` and per-field `violations`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  instance?: string;
  request_id?: string;
  violations?: { field: string; reason: string; message: string }[];
}

/** `request.url` is undefined when the parser refused the request before it had one (edge-errors.ts). */
export function problemFor(error: AppError, request: { readonly id: string; readonly url?: string }): Problem {
  const status = HTTP_STATUS[error.code];
  const problem: Problem = {
    type: `https://listings.dev/problems/${error.code.toLowerCase().replaceAll('_', '-')}`,
    title: ERROR_CATALOGUE[error.code],
    status,
    code: error.code,
    instance: request.url,
    request_id: request.id,
  };
  // Internal details stay in the logs: a 5xx tells the client only that it happened.
  if (status < 500 || error.code === 'DEPENDENCY_UNAVAILABLE' || error.code === 'NOT_IMPLEMENTED')
    problem.detail = error.message;
  if (error.violations.length > 0) problem.violations = error.violations.map((v) => ({ ...v }));
  return problem;
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: AppError): FastifyReply {
  const problem = problemFor(error, request);
  if (error.retryAfterMs !== undefined) reply.header('retry-after', Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}
