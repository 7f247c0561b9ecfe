import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, isAppError, toAppError } from '../../src/domain/errors.ts';
import { sendProblem } from './problem.ts';

/** Fastify's own error codes that are the client's fault, translated into catalogue codes. */
function fromFastifyError(error: FastifyError): AppError | undefined {
  if (error.validation) {
    return new AppError('VALIDATION_FAILED', error.message, {
      violations: error.validation.map((v) => ({
        field: fieldPath(v.instancePath, v.params),
        reason: v.keyword,
        message: v.message ?? 'is invalid',
      })),
    });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', error.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', error.message);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('VALIDATION_FAILED', error.message, {
        violations: [{ field: 'body', reason: 'malformed', message: error.message }],
      });
  }
  if (error instanceof SyntaxError || (error.statusCode !== undefined && error.statusCode === 400)) {
    return new AppError('VALIDATION_FAILED', error.message, {
      violations: [{ field: 'body', reason: 'malformed', message: error.message }],
    });
  }
  return undefined;
}

function fieldPath(instancePath: string, params: Record<string, unknown>): string {
  const base = instancePath.replace(/^\//, '').replaceAll('/', '.');
  const missing = typeof params.missingProperty === 'string' ? params.missingProperty : undefined;
  const extra = typeof params.additionalProperty === 'string' ? params.additionalProperty : undefined;
  const leaf = missing ?? extra;
  if (leaf) return base ? `${base}.${leaf}` : leaf;
  return base || 'body';
}

export interface ErrorHandlingOptions {
  /**
   * The methods an unmatched request's path does answer (see plugins/method-not-allowed.ts): non-empty turns the
   * 404 into a 405 with `Allow`.
   */
  readonly allowedMethods?: (request: FastifyRequest) => readonly string[];
}

/** Every error leaves as application/problem+json; unknown routes too. No stack trace reaches a client. */
export function installErrorHandling(app: FastifyInstance, options: ErrorHandlingOptions = {}): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = isAppError(error) ? error : (fromFastifyError(error) ?? toAppError(error));
    if (appError.code === 'INTERNAL') request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, request, appError);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const allowed = options.allowedMethods?.(request) ?? [];
    if (allowed.length === 0)
      return sendProblem(reply, request, new AppError('ROUTE_NOT_FOUND', `no route ${request.method} ${path}`));
    reply.header('allow', allowed.join(', '));
    const message = `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`;
    return sendProblem(reply, request, new AppError('METHOD_NOT_ALLOWED', message));
  });
}
