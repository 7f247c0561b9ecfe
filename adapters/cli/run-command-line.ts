import { CommanderError } from 'commander';
import { AppError, toAppError } from '../../src/domain/errors.ts';
import { EXIT, EXIT_CODE } from './exit-codes.ts';
import { createOutput } from './output.ts';
import { buildProgram } from './program.ts';

/** Parses argv, runs the command, maps any error to one exit code. */
async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through this path with exit code 0.
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    const appError = toAppError(error);
    const json = program.opts().json === true;
    // A command that already printed its result (a failed check's report) only adds its one line on stderr, so
    // --json keeps one document on stdout.
    if (appError.details.reported === true) process.stderr.write(`listings: ${appError.message}\n`);
    else createOutput(json).error(appError);
    if (appError.code === 'INTERNAL' && process.env.LISTINGS_DEBUG)
      process.stderr.write(`${String((error as Error).stack)}\n`);
    return EXIT_CODE[appError.code];
  }
}

process.on('SIGINT', () => {
  // Commands that handle SIGINT themselves (serve) install their own listener; this one only ends
  // commands that did not, with the documented code.
  if (process.listenerCount('SIGINT') === 1) process.exit(EXIT.INTERRUPTED);
});

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`listings: ${error instanceof AppError ? error.message : String(error)}\n`);
    process.exitCode = EXIT.CHECK_FAILED;
  },
);
