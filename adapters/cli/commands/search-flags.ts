import { AppError } from '../../../src/domain/errors.ts';
import type { SearchEngineName } from '../../composition/admin-search.ts';

/** A whole number within bounds, else USAGE_INVALID naming the flag. */
export function wholeNumberFlag(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new AppError('USAGE_INVALID', `${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

/** `--engine`: undefined keeps the configured SEARCH_ENGINE. */
export function engineFlag(text: string | undefined): SearchEngineName | undefined {
  if (text === undefined) return undefined;
  if (text === 'opensearch' || text === 'postgres') return text;
  throw new AppError('USAGE_INVALID', `--engine must be opensearch or postgres, got "${text}"`);
}

/** Installs SIGINT/SIGTERM handlers that ask the run to stop at the next batch; a second signal exits at once. */
export function stopOnSignal(what: string, exitCode: number): { stopped: () => boolean; remove: () => void } {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(exitCode);
    stopping = true;
    process.stderr.write(`listings: ${signal}: stopping ${what} at the next batch (again to exit at once)\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stopped: () => stopping,
    remove: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
