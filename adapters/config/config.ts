import type { ConfigReader } from './reader.ts';

/**
 * The one typed configuration of `listings`, for `serve`, the worker and every admin command.
 *
 * Names and defaults of the original service's `SVETULISTINGS_*` variables are kept so existing
 * deployments keep working. A dependency is used when it is switched on: explicitly by its `*_DRIVER` /
 * engine variable, or implicitly when one of its connection variables is set. With nothing set,
 * everything runs in one process (PGlite, in-process cache and limiter, PostgreSQL full-text search,
 * a local folder for images): the embedded default.
 */
export interface Config {
  readonly environment: string;
  readonly version: string;
  readonly dataDir: string;
  readonly log: { readonly level: LogLevel; readonly format: 'json' | 'pretty' };
  readonly http: { readonly host: string; readonly port: number; readonly maxBodyBytes: number };
  readonly grpc: {
    readonly host: string;
    readonly port: number;
    readonly reflection: boolean;
    /** Callers without a token admitted as a service: off (empty) by default; the original had no auth at all. */
    readonly trustedPeers: string[];
    readonly trustedServiceNames: string[];
    /** Rate-limit by x-forwarded-for / x-real-ip (only behind a proxy that overwrites them). */
    readonly trustProxyHeaders: boolean;
  };
  /** A second listener for /metrics; the main HTTP port always serves /metrics too. `undefined` = none. */
  readonly metrics: { readonly host: string; readonly port: number | undefined };
  readonly database: DatabaseConfig;
  readonly redis: RedisConfig;
  readonly cache: {
    readonly driver: 'redis' | 'memory' | 'none';
    readonly listingTtlMs: number;
    readonly searchTtlMs: number;
  };
  readonly search: {
    readonly engine: 'opensearch' | 'postgres';
    /**
     * With OpenSearch: `postgres` (default) has the worker also keep PostgreSQL's search table, which answers
     * searches while OpenSearch is down; `none` turns that off (searches fail while OpenSearch is down).
     */
    readonly fallback: 'postgres' | 'none';
  };
  readonly opensearch: {
    readonly addresses: string[];
    readonly username: string;
    readonly password: string;
    readonly index: string;
  };
  readonly storage: { readonly driver: 'minio' | 'fs'; readonly directory: string; readonly signingSecret: string };
  readonly images: {
    /** Largest upload, bytes (at most the domain's 10 MiB). */
    readonly maxBytes: number;
    /** Stored image URLs start with this (a CDN or public bucket); empty = presigned URLs (7 days). */
    readonly publicBaseUrl: string;
    /** Addresses (IP or CIDR) an import-from-URL may reach although private or loopback. Empty by default. */
    readonly importAllow: string[];
  };
  readonly minio: {
    readonly endpoint: string;
    readonly accessKey: string;
    readonly secretKey: string;
    readonly useSsl: boolean;
    readonly bucket: string;
    readonly region: string;
  };
  readonly auth: {
    readonly serviceUrl: string;
    readonly publicKeyPath: string;
    readonly jwtSecret: string;
    readonly jwksUrl: string;
    /** True only when AUTH_PUBLIC_KEY_PATH was set: its default must not switch authentication on by itself. */
    readonly publicKeyConfigured: boolean;
    readonly issuer: string;
    readonly audience: string;
  };
  readonly worker: { readonly enabled: boolean; readonly concurrency: number; readonly queueName: string };
  readonly features: {
    readonly asyncIndexing: boolean;
    readonly imageOptimization: boolean;
    readonly cacheEnabled: boolean;
  };
  readonly rateLimit: {
    readonly enabled: boolean;
    readonly driver: 'redis' | 'memory';
    readonly rps: number;
    readonly burst: number;
    readonly failOpen: boolean;
  };
  readonly tracing: { readonly enabled: boolean; readonly jaegerEndpoint: string };
  readonly cors: {
    readonly allowedOrigins: string[];
    readonly allowedMethods: string[];
    readonly allowedHeaders: string[];
  };
  readonly health: {
    readonly checkTimeoutMs: number;
    readonly checkIntervalMs: number;
    readonly startupTimeoutMs: number;
    readonly cacheDurationMs: number;
    readonly deepChecks: boolean;
  };
  readonly shutdownTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface DatabaseConfig {
  readonly driver: 'pglite' | 'postgres';
  /** A full connection URL; when set it wins over host/port/user/password/name. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly name: string;
  readonly sslMode: 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  readonly maxOpenConns: number;
  readonly maxIdleConns: number;
  readonly connMaxLifetimeMs: number;
  readonly connMaxIdleTimeMs: number;
}

export interface RedisConfig {
  readonly enabled: boolean;
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly password: string;
  readonly db: number;
  readonly poolSize: number;
  readonly minIdleConns: number;
  /** How long a request waits on one Redis command before it serves without Redis (REDIS_COMMAND_TIMEOUT). */
  readonly commandTimeoutMs: number;
}

const DB_CONNECTION_VARIABLES = ['DB_URL', 'DB_HOST', 'DB_PORT', 'DB_USER', 'DB_PASSWORD', 'DB_NAME'];
const REDIS_CONNECTION_VARIABLES = ['REDIS_URL', 'REDIS_HOST', 'REDIS_PORT'];

/** Builds the Config from a reader; problems are collected on the reader, not thrown. */
export function readConfig(r: ConfigReader, version: string): Config {
  const database = readDatabase(r);
  const redis = readRedis(r);
  const opensearchOn = r.isSet('OPENSEARCH_ADDRESSES');
  const dataDir = r.string('DATA_DIR', '.data', { nonEmpty: true });
  const cacheEnabled = r.boolean('FEATURE_CACHE_ENABLED', true);
  const metricsPortSet = r.isSet('METRICS_PORT');
  const metricsPort = r.port('METRICS_PORT', 9093);
  const minio = {
    endpoint: r.string('MINIO_ENDPOINT', 'localhost:9000'),
    accessKey: r.string('MINIO_ACCESS_KEY', 'minioadmin'),
    secretKey: r.string('MINIO_SECRET_KEY', 'minioadmin', { secret: true }),
    useSsl: r.boolean('MINIO_USE_SSL', false),
    bucket: r.string('MINIO_BUCKET', 'listings-images', { nonEmpty: true }),
    region: r.string('MINIO_REGION', 'us-east-1', { nonEmpty: true }),
  };
  // The original treated an empty endpoint as "MinIO off"; we also keep it off unless it is set at all.
  const minioOn = r.isSet('MINIO_ENDPOINT') && minio.endpoint !== '';

  return {
    environment: r.string('ENV', 'development'),
    version,
    dataDir,
    log: {
      level: r.oneOf('LOG_LEVEL', 'info', LOG_LEVELS),
      format: normaliseLogFormat(r.oneOf('LOG_FORMAT', 'json', ['json', 'pretty', 'console', 'text'] as const)),
    },
    http: {
      host: r.string('HTTP_HOST', '0.0.0.0', { nonEmpty: true }),
      port: r.port('HTTP_PORT', 8086),
      maxBodyBytes: r.integer('MAX_BODY_SIZE', 52_428_800, 1024, 1_073_741_824),
    },
    grpc: {
      host: r.string('GRPC_HOST', '0.0.0.0', { nonEmpty: true }),
      port: r.port('GRPC_PORT', 50053),
      reflection: r.boolean('GRPC_REFLECTION', true),
      trustedPeers: r.list('GRPC_TRUSTED_PEERS', ''),
      trustedServiceNames: r.list('GRPC_TRUSTED_SERVICES', ''),
      trustProxyHeaders: r.boolean('TRUST_PROXY_HEADERS', true),
    },
    metrics: {
      host: r.string('METRICS_HOST', '0.0.0.0', { nonEmpty: true }),
      port: metricsPortSet ? metricsPort : undefined,
    },
    database,
    redis,
    cache: {
      driver: r.oneOf('CACHE_DRIVER', !cacheEnabled ? 'none' : redis.enabled ? 'redis' : 'memory', [
        'redis',
        'memory',
        'none',
      ] as const),
      listingTtlMs: r.duration('CACHE_LISTING_TTL', '5m'),
      searchTtlMs: r.duration('CACHE_SEARCH_TTL', '2m'),
    },
    search: {
      engine: r.oneOf('SEARCH_ENGINE', opensearchOn ? 'opensearch' : 'postgres', ['opensearch', 'postgres'] as const),
      fallback: r.oneOf('SEARCH_FALLBACK', 'postgres', ['postgres', 'none'] as const),
    },
    opensearch: {
      addresses: r.list('OPENSEARCH_ADDRESSES', 'http://localhost:9200'),
      username: r.string('OPENSEARCH_USERNAME', 'admin'),
      password: r.string('OPENSEARCH_PASSWORD', 'admin', { secret: true }),
      index: r.string('OPENSEARCH_INDEX', 'marketplace_listings', { nonEmpty: true }),
    },
    storage: {
      driver: r.oneOf('STORAGE_DRIVER', minioOn ? 'minio' : 'fs', ['minio', 'fs'] as const),
      directory: r.string('STORAGE_DIR', `${dataDir}/objects`, { nonEmpty: true }),
      signingSecret: r.string('STORAGE_SIGNING_SECRET', '', { secret: true }),
    },
    minio,
    images: {
      maxBytes: r.integer('IMAGES_MAX_BYTES', 10_485_760, 1024, 10_485_760),
      publicBaseUrl: r.url('IMAGES_PUBLIC_BASE_URL', '', { allowEmpty: true }),
      importAllow: r.list('IMAGE_IMPORT_ALLOW', ''),
    },
    auth: {
      serviceUrl: r.string('AUTH_SERVICE_URL', 'http://localhost:8081'),
      publicKeyPath: r.string('AUTH_PUBLIC_KEY_PATH', '/keys/public.pem'),
      jwtSecret: r.string('AUTH_JWT_SECRET', '', { secret: true }),
      jwksUrl: r.url('AUTH_JWKS_URL', '', { allowEmpty: true }),
      publicKeyConfigured: r.isSet('AUTH_PUBLIC_KEY_PATH'),
      issuer: r.string('AUTH_ISSUER', ''),
      audience: r.string('AUTH_AUDIENCE', ''),
    },
    worker: {
      enabled: r.boolean('WORKER_ENABLED', true),
      concurrency: r.integer('WORKER_CONCURRENCY', 5, 1, 256),
      queueName: r.string('WORKER_QUEUE_NAME', 'listings_indexing', { nonEmpty: true }),
    },
    features: {
      asyncIndexing: r.boolean('FEATURE_ASYNC_INDEXING', true),
      imageOptimization: r.boolean('FEATURE_IMAGE_OPTIMIZATION', true),
      cacheEnabled,
    },
    rateLimit: {
      enabled: r.boolean('RATE_LIMIT_ENABLED', true),
      driver: r.oneOf('RATE_LIMIT_DRIVER', redis.enabled ? 'redis' : 'memory', ['redis', 'memory'] as const),
      rps: r.integer('RATE_LIMIT_RPS', 100, 1, 1_000_000),
      burst: r.integer('RATE_LIMIT_BURST', 200, 1, 1_000_000),
      failOpen: r.boolean('RATE_LIMIT_FAIL_OPEN', true),
    },
    tracing: {
      enabled: r.boolean('TRACING_ENABLED', false),
      jaegerEndpoint: r.string('JAEGER_ENDPOINT', 'http://localhost:14268/api/traces'),
    },
    cors: {
      allowedOrigins: r.list('CORS_ALLOWED_ORIGINS', 'http://localhost:3001,http://localhost:3000'),
      allowedMethods: r.list('CORS_ALLOWED_METHODS', 'GET,POST,PUT,PATCH,DELETE,OPTIONS'),
      allowedHeaders: r.list(
        'CORS_ALLOWED_HEADERS',
        'Content-Type,Authorization,Idempotency-Key,If-Match,If-None-Match',
      ),
    },
    health: {
      checkTimeoutMs: r.duration('HEALTH_CHECK_TIMEOUT', '5s'),
      checkIntervalMs: r.duration('HEALTH_CHECK_INTERVAL', '30s'),
      startupTimeoutMs: r.duration('HEALTH_STARTUP_TIMEOUT', '60s'),
      cacheDurationMs: r.duration('HEALTH_CACHE_DURATION', '10s'),
      deepChecks: r.boolean('HEALTH_ENABLE_DEEP_CHECKS', true),
    },
    shutdownTimeoutMs: r.duration('SHUTDOWN_TIMEOUT', '30s'),
    requestTimeoutMs: r.duration('REQUEST_TIMEOUT', '60s'),
  };
}

function readDatabase(r: ConfigReader): DatabaseConfig {
  const postgresImplied = DB_CONNECTION_VARIABLES.some((name) => r.isSet(name));
  return {
    driver: r.oneOf('DB_DRIVER', postgresImplied ? 'postgres' : 'pglite', ['pglite', 'postgres'] as const),
    url: r.string('DB_URL', '', { secret: true }),
    host: r.string('DB_HOST', 'localhost', { nonEmpty: true }),
    port: r.integer('DB_PORT', 35433, 1, 65535),
    user: r.string('DB_USER', 'listings_user', { nonEmpty: true }),
    password: r.string('DB_PASSWORD', 'listings_password', { secret: true }),
    name: r.string('DB_NAME', 'listings_db', { nonEmpty: true }),
    sslMode: r.oneOf('DB_SSLMODE', 'disable', [
      'disable',
      'allow',
      'prefer',
      'require',
      'verify-ca',
      'verify-full',
    ] as const),
    maxOpenConns: r.integer('DB_MAX_OPEN_CONNS', 25, 1, 1000),
    maxIdleConns: r.integer('DB_MAX_IDLE_CONNS', 10, 0, 1000),
    connMaxLifetimeMs: r.duration('DB_CONN_MAX_LIFETIME', '5m'),
    connMaxIdleTimeMs: r.duration('DB_CONN_MAX_IDLE_TIME', '10m'),
  };
}

function readRedis(r: ConfigReader): RedisConfig {
  const implied = REDIS_CONNECTION_VARIABLES.some((name) => r.isSet(name));
  return {
    enabled: r.boolean('REDIS_ENABLED', implied),
    url: r.string('REDIS_URL', '', { secret: true }),
    host: r.string('REDIS_HOST', 'localhost', { nonEmpty: true }),
    port: r.integer('REDIS_PORT', 36380, 1, 65535),
    password: r.string('REDIS_PASSWORD', '', { secret: true }),
    db: r.integer('REDIS_DB', 0, 0, 15),
    poolSize: r.integer('REDIS_POOL_SIZE', 10, 1, 1000),
    minIdleConns: r.integer('REDIS_MIN_IDLE_CONNS', 5, 0, 1000),
    commandTimeoutMs: r.duration('REDIS_COMMAND_TIMEOUT', '200ms'),
  };
}

function normaliseLogFormat(format: 'json' | 'pretty' | 'console' | 'text'): 'json' | 'pretty' {
  return format === 'json' ? 'json' : 'pretty';
}
