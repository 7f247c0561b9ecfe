import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { AppError } from '../../src/domain/errors.ts';
import { type Config, readConfig } from './config.ts';
import { ConfigReader, type SettingProvenance } from './reader.ts';

export interface LoadConfigOptions {
  /** Defaults to process.env. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** Path of the optional .env file; defaults to `.env` in the working directory. `false` skips it. */
  readonly dotenvPath?: string | false;
  /** Values given by command-line flags, keyed by full variable name (`SVETULISTINGS_HTTP_PORT`). */
  readonly flags?: Readonly<Record<string, string>>;
  readonly version: string;
}

export interface LoadedConfig {
  readonly config: Config;
  readonly provenance: readonly SettingProvenance[];
}

/**
 * Loads and validates the configuration. Throws one CONFIG_INVALID AppError naming every bad variable,
 * its value and the accepted values (secrets are redacted).
 */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const dotenv = readDotenv(options.dotenvPath);
  const reader = new ConfigReader({
    environment: options.environment ?? process.env,
    dotenv,
    flags: options.flags ?? {},
  });
  const config = readConfig(reader, options.version);
  if (reader.problems.length > 0) {
    const lines = reader.problems.map((p) => `${p.variable}=${JSON.stringify(p.value)}: expected ${p.accepted}`);
    throw new AppError('CONFIG_INVALID', `invalid configuration:\n  ${lines.join('\n  ')}`, {
      violations: reader.problems.map((p) => ({
        field: p.variable,
        reason: 'invalid_value',
        message: `expected ${p.accepted}`,
      })),
    });
  }
  return { config, provenance: dedupe(reader.provenance) };
}

function readDotenv(path: string | false | undefined): Record<string, string> {
  if (path === false) return {};
  const file = resolve(path ?? '.env');
  if (!existsSync(file)) return {};
  const parsed = parseEnv(readFileSync(file, 'utf8'));
  return Object.fromEntries(
    Object.entries(parsed).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** A variable read twice (e.g. MINIO_ENDPOINT) appears once, first reading wins. */
function dedupe(entries: readonly SettingProvenance[]): SettingProvenance[] {
  const seen = new Map<string, SettingProvenance>();
  for (const entry of entries) if (!seen.has(entry.variable)) seen.set(entry.variable, entry);
  return [...seen.values()].sort((a, b) => a.variable.localeCompare(b.variable));
}

const SECRET_IN_URL = /\/\/([^:/@]+):([^@]+)@/;

/** The effective configuration as an operator may see it: secrets and URL passwords redacted. */
export function redactedProvenance(provenance: readonly SettingProvenance[]): SettingProvenance[] {
  return provenance.map((entry) => {
    if (entry.secret && entry.value !== '') return { ...entry, value: '<redacted>' };
    return { ...entry, value: entry.value.replace(SECRET_IN_URL, '//$1:<redacted>@') };
  });
}
