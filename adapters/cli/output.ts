import type { AppError } from '../../src/domain/errors.ts';

/**
 * Where a command's results go: data on stdout (human text or one JSON document with --json),
 * everything else (logs, progress, prompts) on stderr, so `listings x --json | jq` always works.
 */
export interface Output {
  readonly json: boolean;
  /** The command's result: printed as JSON with --json, otherwise through `human`. */
  result(value: unknown, human?: (value: unknown) => string): void;
  /** A human note on stderr; silent with --json so machine output stays clean. */
  note(message: string): void;
  error(error: AppError): void;
}

export function createOutput(
  json: boolean,
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): Output {
  return {
    json,
    result(value, human) {
      if (json) stdout.write(`${JSON.stringify(value)}\n`);
      else
        stdout.write(`${human ? human(value) : typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
    },
    note(message) {
      if (!json) stderr.write(`${message}\n`);
    },
    error(error) {
      if (json) {
        stdout.write(
          `${JSON.stringify({ error: { code: error.code, message: error.message, violations: error.violations.length > 0 ? error.violations : undefined } })}\n`,
        );
      }
      stderr.write(`listings: ${error.message}\n`);
    },
  };
}
