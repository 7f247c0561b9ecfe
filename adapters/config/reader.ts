import { parseDuration } from './duration.ts';

/** Where an effective setting came from, lowest precedence first. */
export type ConfigSource = 'default' | '.env' | 'environment' | 'flag';

export interface SettingProvenance {
  readonly variable: string;
  readonly value: string;
  readonly source: ConfigSource;
  readonly secret: boolean;
}

export interface ConfigProblem {
  readonly variable: string;
  readonly value: string;
  readonly accepted: string;
}

export interface ConfigInputs {
  readonly environment: Readonly<Record<string, string | undefined>>;
  readonly dotenv: Readonly<Record<string, string>>;
  readonly flags: Readonly<Record<string, string>>;
}

export const PREFIX = 'SVETULISTINGS_';

/**
 * Reads `SVETULISTINGS_*` settings from flags, the environment, `.env` and defaults (that precedence),
 * parses each, records where every value came from, and collects every problem instead of stopping at
 * the first, so an operator fixes a broken deployment in one pass.
 */
export class ConfigReader {
  readonly problems: ConfigProblem[] = [];
  readonly provenance: SettingProvenance[] = [];
  readonly #inputs: ConfigInputs;

  constructor(inputs: ConfigInputs) {
    this.#inputs = inputs;
  }

  /** True when the variable was given by a flag, the environment or .env (not just defaulted). */
  isSet(name: string): boolean {
    return this.#lookup(name) !== undefined;
  }

  #lookup(name: string): { value: string; source: ConfigSource } | undefined {
    const key = PREFIX + name;
    const flag = this.#inputs.flags[key];
    if (flag !== undefined) return { value: flag, source: 'flag' };
    const env = this.#inputs.environment[key];
    if (env !== undefined) return { value: env, source: 'environment' };
    const dot = this.#inputs.dotenv[key];
    if (dot !== undefined) return { value: dot, source: '.env' };
    return undefined;
  }

  #read<T>(name: string, fallback: string, accepted: string, parse: (raw: string) => T | undefined, secret = false): T {
    const found = this.#lookup(name) ?? { value: fallback, source: 'default' as const };
    this.provenance.push({ variable: PREFIX + name, value: found.value, source: found.source, secret });
    const parsed = parse(found.value);
    if (parsed !== undefined) return parsed;
    this.problems.push({ variable: PREFIX + name, value: secret ? '<redacted>' : found.value, accepted });
    // A typed placeholder: the caller never sees it, because problems abort loading.
    return parse(fallback) as T;
  }

  string(name: string, fallback: string, options: { secret?: boolean; nonEmpty?: boolean } = {}): string {
    const accepted = options.nonEmpty ? 'a non-empty string' : 'any string';
    return this.#read(
      name,
      fallback,
      accepted,
      (raw) => (options.nonEmpty && raw.trim() === '' ? undefined : raw),
      options.secret,
    );
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    return this.#read(name, String(fallback), `an integer from ${min} to ${max}`, (raw) => {
      if (!/^-?\d+$/.test(raw.trim())) return undefined;
      const value = Number(raw);
      return value >= min && value <= max ? value : undefined;
    });
  }

  /** A TCP port; 0 asks the operating system for a free one (logged at start-up). */
  port(name: string, fallback: number): number {
    return this.integer(name, fallback, 0, 65535);
  }

  boolean(name: string, fallback: boolean): boolean {
    return this.#read(name, String(fallback), 'true or false (also 1/0, yes/no)', (raw) => {
      const value = raw.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(value)) return true;
      if (['false', '0', 'no', 'off'].includes(value)) return false;
      return undefined;
    });
  }

  /** Milliseconds from a Go-style duration such as `5m`, `30s`, `1m30s`, `250ms`. */
  duration(name: string, fallback: string): number {
    return this.#read(name, fallback, 'a duration such as 250ms, 30s, 5m or 1h30m', parseDuration);
  }

  list(name: string, fallback: string): string[] {
    return this.#read(name, fallback, 'a comma-separated list', (raw) =>
      raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    );
  }

  oneOf<T extends string>(name: string, fallback: T, values: readonly T[]): T {
    return this.#read(name, fallback, `one of ${values.join(', ')}`, (raw) => {
      const value = raw.trim().toLowerCase();
      return (values as readonly string[]).includes(value) ? (value as T) : undefined;
    });
  }

  /** An http(s) URL; `allowEmpty` lets an empty value mean "off". */
  url(name: string, fallback: string, options: { allowEmpty?: boolean; secret?: boolean } = {}): string {
    return this.#read(
      name,
      fallback,
      options.allowEmpty ? 'an http(s) URL, or empty to disable' : 'an http(s) URL',
      (raw) => {
        if (raw.trim() === '') return options.allowEmpty ? '' : undefined;
        try {
          const parsed = new URL(raw);
          return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? raw.trim() : undefined;
        } catch {
          return undefined;
        }
      },
      options.secret,
    );
  }
}
