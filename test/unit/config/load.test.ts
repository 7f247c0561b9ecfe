import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, redactedProvenance } from '../../../adapters/config/load.ts';
import { AppError } from '../../../src/domain/errors.ts';

const load = (
  environment: Record<string, string>,
  extra: { flags?: Record<string, string>; dotenvPath?: string } = {},
) => loadConfig({ version: '9.9.9', environment, dotenvPath: extra.dotenvPath ?? false, flags: extra.flags ?? {} });

function problemsOf(environment: Record<string, string>): string[] {
  try {
    load(environment);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFIG_INVALID');
    return (error as AppError).violations.map((v) => v.field);
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadConfig', () => {
  it('runs on the embedded default when nothing is set, with the original defaults', () => {
    const { config } = load({});
    expect(config.database.driver).toBe('pglite');
    expect(config.cache.driver).toBe('memory');
    expect(config.search.engine).toBe('postgres');
    expect(config.storage.driver).toBe('fs');
    expect(config.rateLimit.driver).toBe('memory');
    expect(config.http.port).toBe(8086);
    expect(config.grpc.port).toBe(50053);
    expect(config.metrics.port).toBeUndefined();
    expect(config.database.port).toBe(35433);
    expect(config.redis.port).toBe(36380);
    expect(config.redis.commandTimeoutMs).toBe(200);
    expect(config.cache.listingTtlMs).toBe(300_000);
    expect(config.cache.searchTtlMs).toBe(120_000);
    expect(config.opensearch.index).toBe('marketplace_listings');
    expect(config.minio.bucket).toBe('listings-images');
    expect(config.worker.concurrency).toBe(5);
    expect(config.shutdownTimeoutMs).toBe(30_000);
  });

  it('switches each dependency on when its connection variable is set, as existing deployments do', () => {
    const { config } = load({
      SVETULISTINGS_DB_HOST: 'db.internal',
      SVETULISTINGS_REDIS_HOST: 'cache.internal',
      SVETULISTINGS_OPENSEARCH_ADDRESSES: 'http://os1:9200, http://os2:9200',
      SVETULISTINGS_MINIO_ENDPOINT: 'minio:9000',
    });
    expect(config.database).toMatchObject({ driver: 'postgres', host: 'db.internal' });
    expect(config.cache.driver).toBe('redis');
    expect(config.rateLimit.driver).toBe('redis');
    expect(config.search.engine).toBe('opensearch');
    expect(config.opensearch.addresses).toEqual(['http://os1:9200', 'http://os2:9200']);
    expect(config.storage.driver).toBe('minio');
  });

  it('keeps MinIO off for an empty endpoint, like the original', () => {
    expect(load({ SVETULISTINGS_MINIO_ENDPOINT: '' }).config.storage.driver).toBe('fs');
  });

  it('lets an explicit driver win over the implied one', () => {
    const { config } = load({
      SVETULISTINGS_DB_HOST: 'db',
      SVETULISTINGS_DB_DRIVER: 'pglite',
      SVETULISTINGS_FEATURE_CACHE_ENABLED: 'false',
    });
    expect(config.database.driver).toBe('pglite');
    expect(config.cache.driver).toBe('none');
  });

  it.each([
    ['SVETULISTINGS_HTTP_PORT', 'abc'],
    ['SVETULISTINGS_HTTP_PORT', '70000'],
    ['SVETULISTINGS_GRPC_PORT', '-1'],
    ['SVETULISTINGS_METRICS_PORT', '1.5'],
    ['SVETULISTINGS_DB_PORT', '0'],
    ['SVETULISTINGS_DB_HOST', ''],
    ['SVETULISTINGS_DB_NAME', '   '],
    ['SVETULISTINGS_DB_SSLMODE', 'sometimes'],
    ['SVETULISTINGS_DB_MAX_OPEN_CONNS', '0'],
    ['SVETULISTINGS_DB_CONN_MAX_LIFETIME', '5 minutes'],
    ['SVETULISTINGS_DB_DRIVER', 'sqlite'],
    ['SVETULISTINGS_REDIS_DB', '16'],
    ['SVETULISTINGS_CACHE_LISTING_TTL', 'forever'],
    ['SVETULISTINGS_CACHE_SEARCH_TTL', '2x'],
    ['SVETULISTINGS_CACHE_DRIVER', 'memcached'],
    ['SVETULISTINGS_LOG_LEVEL', 'loud'],
    ['SVETULISTINGS_LOG_FORMAT', 'xml'],
    ['SVETULISTINGS_WORKER_ENABLED', 'maybe'],
    ['SVETULISTINGS_WORKER_CONCURRENCY', '0'],
    ['SVETULISTINGS_RATE_LIMIT_RPS', 'many'],
    ['SVETULISTINGS_MINIO_USE_SSL', 'yes please'],
    ['SVETULISTINGS_SEARCH_ENGINE', 'solr'],
    ['SVETULISTINGS_STORAGE_DRIVER', 's3'],
    ['SVETULISTINGS_AUTH_JWKS_URL', 'ftp://keys'],
    ['SVETULISTINGS_HEALTH_CHECK_TIMEOUT', '5'],
    ['SVETULISTINGS_SHUTDOWN_TIMEOUT', '-3s'],
    ['SVETULISTINGS_MAX_BODY_SIZE', '10'],
  ])('names %s when it is %j', (variable, value) => {
    expect(problemsOf({ [variable]: value })).toEqual([variable]);
  });

  it('reports every bad variable at once, with value and accepted values', () => {
    try {
      load({ SVETULISTINGS_HTTP_PORT: 'abc', SVETULISTINGS_LOG_LEVEL: 'loud', SVETULISTINGS_DB_PASSWORD: 'fine' });
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('SVETULISTINGS_HTTP_PORT="abc": expected an integer from 0 to 65535');
      expect(message).toContain(
        'SVETULISTINGS_LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent',
      );
      expect((error as AppError).violations).toHaveLength(2);
    }
  });

  it('parses Go durations, booleans and lists', () => {
    const { config } = load({
      SVETULISTINGS_CACHE_LISTING_TTL: '1m30s',
      SVETULISTINGS_HEALTH_CHECK_TIMEOUT: '250ms',
      SVETULISTINGS_REDIS_COMMAND_TIMEOUT: '2s',
      SVETULISTINGS_RATE_LIMIT_ENABLED: 'false',
      SVETULISTINGS_CORS_ALLOWED_ORIGINS: 'https://a.example, https://b.example,',
    });
    expect(config.cache.listingTtlMs).toBe(90_000);
    expect(config.health.checkTimeoutMs).toBe(250);
    expect(config.redis.commandTimeoutMs).toBe(2_000);
    expect(config.rateLimit.enabled).toBe(false);
    expect(config.cors.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('takes flag over environment over .env over default, and records the source of each', () => {
    const dir = mkdtempSync(join(tmpdir(), 'listings-config-'));
    const dotenvPath = join(dir, '.env');
    writeFileSync(
      dotenvPath,
      'SVETULISTINGS_HTTP_PORT=1111\nSVETULISTINGS_GRPC_PORT=2222\nSVETULISTINGS_DB_NAME=from_dotenv\n',
    );
    const { config, provenance } = load(
      { SVETULISTINGS_HTTP_PORT: '3333', SVETULISTINGS_GRPC_PORT: '4444' },
      { dotenvPath, flags: { SVETULISTINGS_HTTP_PORT: '0' } },
    );
    expect(config.http.port).toBe(0);
    expect(config.grpc.port).toBe(4444);
    expect(config.database.name).toBe('from_dotenv');
    const source = (name: string) => provenance.find((p) => p.variable === name)?.source;
    expect(source('SVETULISTINGS_HTTP_PORT')).toBe('flag');
    expect(source('SVETULISTINGS_GRPC_PORT')).toBe('environment');
    expect(source('SVETULISTINGS_DB_NAME')).toBe('.env');
    expect(source('SVETULISTINGS_DB_USER')).toBe('default');
  });

  it('redacts secrets and passwords inside URLs when printed', () => {
    const { provenance } = load({
      SVETULISTINGS_DB_PASSWORD: 'hunter2',
      SVETULISTINGS_DB_URL: 'postgres://app:hunter2@db:5432/listings',
      SVETULISTINGS_OPENSEARCH_ADDRESSES: 'https://admin:hunter2@os:9200',
      SVETULISTINGS_AUTH_JWT_SECRET: 'hunter2',
    });
    const printed = JSON.stringify(redactedProvenance(provenance));
    expect(printed).not.toContain('hunter2');
    expect(printed).toContain('https://admin:<redacted>@os:9200');
  });
});
