import { AppError } from '../../src/domain/errors.ts';
import { EXIT } from './exit-codes.ts';

/** Resolves once the service stopped after SIGTERM/SIGINT; exits non-zero if the grace period ran out. */
export function waitForShutdownSignal(
  logger: { warn: (o: object, m: string) => void; error: (o: object, m: string) => void },
  graceMs: number,
  stop: (reason: string) => Promise<void>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(EXIT.INTERRUPTED);
      }
      signalled = true;
      const timer = setTimeout(() => {
        logger.error({ grace_ms: graceMs }, 'shutdown grace period exceeded');
        reject(new AppError('DEADLINE_EXCEEDED', `shutdown did not finish within ${graceMs} ms`));
      }, graceMs);
      timer.unref();
      stop(signal).then(() => {
        clearTimeout(timer);
        resolve();
      }, reject);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
