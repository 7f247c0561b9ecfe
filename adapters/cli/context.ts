import type { Logger as PinoLogger } from 'pino';
import type { Config } from '../config/config.ts';
import { type LoadedConfig, loadConfig } from '../config/load.ts';
import { PREFIX } from '../config/reader.ts';
import { createPinoLogger } from '../logging/pino-logger.ts';
import { createOutput, type Output } from './output.ts';
import { VERSION } from './version.ts';

/** Options every command accepts (declared once on the root program). */
export interface GlobalOptions {
  readonly json?: boolean;
  readonly logLevel?: string;
  readonly yes?: boolean;
  readonly envFile?: string;
}

export interface CommandContext {
  readonly options: GlobalOptions;
  readonly output: Output;
  /** Loads and validates the config once, with `flags` (full variable names) taking precedence. */
  config(flags?: Record<string, string>): LoadedConfig;
  logger(config: Config): PinoLogger;
}

export { VERSION };

export function createContext(options: GlobalOptions): CommandContext {
  let loaded: LoadedConfig | undefined;
  return {
    options,
    output: createOutput(options.json === true),
    config(flags = {}) {
      if (!loaded) {
        const all = { ...flags };
        if (options.logLevel) all[`${PREFIX}LOG_LEVEL`] = options.logLevel;
        loaded = loadConfig({ version: VERSION, flags: all, dotenvPath: options.envFile ?? '.env' });
      }
      return loaded;
    },
    logger(config) {
      return createPinoLogger({
        level: config.log.level,
        format: config.log.format,
        base: { service: 'listings', version: VERSION },
      });
    },
  };
}
