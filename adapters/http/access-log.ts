import type { FastifyBaseLogger, FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import { routeFacts } from './route-facts.ts';

type LevelAware = FastifyBaseLogger & { isLevelEnabled?(level: string): boolean };

/**
 * The one access line of a request, through the app's logger with the request id as a field: the same line
 * request.log would write, without making a pino child for every request (see request-logger.ts). Its fields are
 * gathered only when the line is written (the level can change at run time, so it is asked each time).
 */
export function writeAccessLine(logger: FastifyBaseLogger, request: FastifyRequest, reply: FastifyReply): void {
  if ((logger as LevelAware).isLevelEnabled?.('info') === false) return;
  logger.info(
    {
      request_id: request.id,
      method: request.method,
      route: routeFacts(request).url ?? 'unmatched',
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 100) / 100,
      remote: request.ip,
    },
    'request',
  );
}

/** {@link writeAccessLine} as a sync onResponse hook (an async hook costs a promise and a microtask per request). */
export function accessLogHook(logger: FastifyBaseLogger): onResponseHookHandler {
  return (request, reply, done) => {
    writeAccessLine(logger, request, reply);
    done();
  };
}
