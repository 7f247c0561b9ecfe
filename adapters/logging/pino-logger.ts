import { type DestinationStream, type Logger as PinoLogger, pino } from 'pino';
import type { Logger } from '../../ports/logger.ts';

export interface LoggingSettings {
  readonly level: string;
  /** `pretty` is honoured only on a TTY, so machines always receive JSON. */
  readonly format: 'json' | 'pretty';
  readonly destination?: DestinationStream;
  readonly base?: Record<string, unknown>;
}

/** Paths pino blanks out wherever they occur, so a token or a password never reaches a log. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'metadata.authorization',
  'authorization',
  'password',
  '*.password',
  '*.secretKey',
  '*.jwtSecret',
  'config.database.password',
  'config.redis.password',
];

export function createPinoLogger(settings: LoggingSettings): PinoLogger {
  const pretty = settings.format === 'pretty' && settings.destination === undefined && process.stderr.isTTY;
  const options = {
    level: settings.level,
    base: settings.base ?? { service: 'listings' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true } } });
  }
  // Logs go to stderr: stdout is reserved for command output (clig.dev).
  return pino(options, settings.destination ?? pino.destination({ dest: 2, sync: false }));
}

/** Adapts pino to the core's Logger port. */
export function asLogger(logger: PinoLogger): Logger {
  return {
    debug: (fields, message) => logger.debug(fields, message),
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.error(fields, message),
    child: (bindings) => asLogger(logger.child(bindings)),
  };
}
