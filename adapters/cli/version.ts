import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The version of `listings` (package.json). A module of its own so that `--version`, `version` and the command
 * definitions can read it without loading the command context (config loader, logger).
 */
export const VERSION: string = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8'),
).version;
