import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, toAppError } from '../../src/domain/errors.ts';
import { writeAccessLine } from './access-log.ts';
import { securityHeaders } from './plugins/security.ts';
import { PROBLEM_CONTENT_TYPE, problemFor, sendProblem } from './problem.ts';

/**
 * Errors Fastify answers before a route or the error handler sees the request: a path that does not decode
 * (`/listings/%ZZ`), and requests Node's HTTP parser refuses (bytes outside the grammar, headers over the size
 * limit, a request not received in time). Fastify's own answers to these are bare JSON of another shape; a client
 * gets the same problem document here as from every route.
 */

const SECURITY_HEADERS = securityHeaders();
/** The same headers as lines of a raw HTTP answer. */
const RAW_SECURITY_HEADERS = Object.entries(SECURITY_HEADERS)
  .map(([name, value]) => `${name}: ${value}\r\n`)
  .join('');

const ERROR_MESSAGES = {
  REQUEST_TIMEOUT: 'the request was not received in full in time',
  HEADERS_TOO_LARGE: 'the request line and headers exceed the size limit',
} as const;

/**
 * Fastify's `frameworkErrors` option: the request object exists, so the answer is an ordinary problem reply. No
 * hook runs for it (it belongs to no route), so the request id, security headers and access line are added here.
 */
export function frameworkErrorHandler(
  logger: FastifyBaseLogger,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    const appError =
      error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new AppError('VALIDATION_FAILED', 'the request path is not valid percent-encoded UTF-8', {
            violations: [{ field: 'path', reason: 'malformed', message: 'is not valid percent-encoded UTF-8' }],
          })
        : toAppError(error);
    reply.headers(SECURITY_HEADERS).header('x-request-id', request.id);
    void sendProblem(reply, request, appError);
    writeAccessLine(logger, request, reply);
  };
}

function parserRefusal(error: NodeJS.ErrnoException): AppError {
  const code: ErrorCode | undefined =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? 'REQUEST_TIMEOUT'
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? 'HEADERS_TOO_LARGE'
        : undefined;
  if (code !== undefined) return new AppError(code, ERROR_MESSAGES[code]);
  return new AppError('VALIDATION_FAILED', 'the request is not valid HTTP/1.1', {
    violations: [{ field: 'request', reason: 'malformed', message: 'is not valid HTTP/1.1' }],
  });
}

/**
 * Node's `clientError`: there is no request, only the socket, so the problem is written as raw HTTP and the
 * connection closed (what follows on it cannot be trusted to start a request), with the security headers every
 * answer carries. Logged at debug level: scanners send such bytes all day, and the line says nothing an operator can
 * act on.
 */
export function answerClientError(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const requestId = randomUUID();
  const appError = parserRefusal(error);
  this.log.debug({ request_id: requestId, err_code: error.code, remote: socket.remoteAddress }, 'client error');
  if (socket.writable) {
    const problem = problemFor(appError, { id: requestId });
    const body = JSON.stringify(problem);
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\n` +
        RAW_SECURITY_HEADERS +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
