import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Where the real servers of the integration suite listen.
 *
 * Read from the environment first, then from `.cache/services/env` written by
 * `scripts/services/services up`. A missing server is a failure, never a skip: the
 * suite exists to prove behaviour against the real thing.
 */
export type ServerName = 'postgres' | 'redis' | 'opensearch' | 'minio';

const VARIABLES: Record<ServerName, string[]> = {
  postgres: ['LISTINGS_TEST_POSTGRES_URL'],
  redis: ['LISTINGS_TEST_REDIS_URL'],
  opensearch: ['LISTINGS_TEST_OPENSEARCH_URL'],
  minio: ['LISTINGS_TEST_S3_ENDPOINT', 'LISTINGS_TEST_S3_ACCESS_KEY', 'LISTINGS_TEST_S3_SECRET_KEY'],
};

function readEnvFile(): Record<string, string> {
  const file = resolve(import.meta.dirname, '../../.cache/services/env');
  if (!existsSync(file)) return {};
  const entries: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^(?:export\s+)?([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match?.[1]) entries[match[1]] = (match[2] ?? '').replace(/^['"]|['"]$/g, '');
  }
  return entries;
}

/** Returns the variables of one server, or throws naming what is missing and how to start it. */
export function serverEnv(name: ServerName): Record<string, string> {
  const fromFile = readEnvFile();
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const key of VARIABLES[name]) {
    const value = process.env[key] ?? fromFile[key];
    if (value) values[key] = value;
    else missing.push(key);
  }
  if (missing.length > 0) {
    throw new Error(
      `${name} is required by this test but ${missing.join(', ')} is not set. ` +
        `Start the real servers with \`scripts/services/services up\` (or run \`scripts/test\`).`,
    );
  }
  return values;
}

export function postgresUrl(): string {
  return serverEnv('postgres').LISTINGS_TEST_POSTGRES_URL as string;
}

export function redisUrl(): string {
  return serverEnv('redis').LISTINGS_TEST_REDIS_URL as string;
}

export function opensearchUrl(): string {
  return serverEnv('opensearch').LISTINGS_TEST_OPENSEARCH_URL as string;
}

export function s3Settings(): { endpoint: string; accessKey: string; secretKey: string } {
  const env = serverEnv('minio');
  return {
    endpoint: env.LISTINGS_TEST_S3_ENDPOINT as string,
    accessKey: env.LISTINGS_TEST_S3_ACCESS_KEY as string,
    secretKey: env.LISTINGS_TEST_S3_SECRET_KEY as string,
  };
}
