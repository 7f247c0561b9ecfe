import { Agent as HttpAgent, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import { Client } from 'minio';
import type { Logger } from '../../ports/logger.ts';
import {
  BodyMeter,
  bodyChunks,
  type ListedObject,
  type ListOptions,
  type ObjectInfo,
  type ObjectStore,
  objectNotFound,
  type PutOptions,
  type PutResult,
  type StoredObject,
  validateObjectKey,
  validateObjectPrefix,
  validatePresignedTtl,
  validatePutOptions,
} from '../../ports/object-store.ts';
import { AppError } from '../../src/domain/errors.ts';
import { isMissingObject, s3Failure } from './s3-errors.ts';
import { MIN_PART_BYTES, partSizeFor, uploadChunks } from './streaming-upload.ts';

/** The `SVETULISTINGS_MINIO_*` settings, as adapters/config reads them. */
export interface MinioObjectStoreSettings {
  /** `host`, `host:port` or `http(s)://host:port`; a URL's scheme overrides `useSsl`. */
  readonly endpoint: string;
  /** Overrides the endpoint's port; default: the endpoint's, else 443 with TLS and 80 without. */
  readonly port?: number;
  readonly useSsl: boolean;
  readonly region: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly bucket: string;
  /**
   * Bytes per multipart part, at least 5 MiB; default 8 MiB. It bounds memory per upload and, with S3's
   * 10,000 parts, the size of a stream of unknown length (8 MiB → about 78 GiB; a known length scales it).
   */
  readonly partSize?: number;
  readonly logger?: Logger;
}

const DEFAULT_PART_BYTES = 8 * 1024 * 1024;
const USER_METADATA_PREFIX = 'x-amz-meta-';

/**
 * An {@link ObjectStore} on MinIO or any S3-compatible server, with path-style requests so bucket names
 * need no DNS. One bucket per store; `ensureReady` creates it.
 */
export class MinioObjectStore implements ObjectStore {
  readonly #client: Client;
  readonly #agent: HttpAgent;
  readonly #bucket: string;
  readonly #region: string;
  readonly #partSize: number;
  readonly #logger: Logger | undefined;

  constructor(settings: MinioObjectStoreSettings) {
    const { host, port, useSsl } = parseEndpoint(settings);
    const partSize = settings.partSize ?? DEFAULT_PART_BYTES;
    if (!Number.isSafeInteger(partSize) || partSize < MIN_PART_BYTES) {
      throw new AppError('CONFIG_INVALID', `the MinIO part size must be at least ${MIN_PART_BYTES} bytes`);
    }
    this.#agent = useSsl ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.#client = new Client({
      endPoint: host,
      port,
      useSSL: useSsl,
      region: settings.region,
      accessKey: settings.accessKey,
      secretKey: settings.secretKey,
      pathStyle: true,
      transportAgent: this.#agent,
    });
    this.#bucket = settings.bucket;
    this.#region = settings.region;
    this.#partSize = partSize;
    this.#logger = settings.logger;
  }

  async put(key: string, body: Readable | Uint8Array, options: PutOptions): Promise<PutResult> {
    validateObjectKey(key);
    validatePutOptions(options);
    const headers: Record<string, string> = { 'Content-Type': options.contentType };
    for (const [name, value] of Object.entries(options.metadata ?? {})) headers[USER_METADATA_PREFIX + name] = value;

    const meter = new BodyMeter(options);
    let measured: { size: number; sha256: string } | undefined;
    // The body's own errors reach the caller unchanged; only the server's are translated.
    let fromBody = false;
    async function* metered(): AsyncGenerator<Uint8Array> {
      fromBody = true;
      for await (const chunk of bodyChunks(body)) {
        fromBody = false;
        meter.add(chunk);
        yield chunk;
        fromBody = true;
      }
      fromBody = false;
      measured = meter.finish(); // before the last part is sent: a short body must not become an object
    }
    try {
      const { etag } = await uploadChunks(
        {
          client: this.#client,
          bucket: this.#bucket,
          key,
          headers,
          partSize: partSizeFor(this.#partSize, options.contentLength),
          ...(options.contentLength === undefined ? {} : { expectedBytes: options.contentLength }),
          ...(this.#logger ? { logger: this.#logger } : {}),
        },
        metered(),
      );
      const { size, sha256 } = measured!;
      return { key, size, etag, sha256 };
    } catch (error) {
      throw fromBody ? error : s3Failure(error, 'store an object', this.#bucket);
    }
  }

  async get(key: string): Promise<StoredObject> {
    validateObjectKey(key);
    let body: Readable;
    try {
      body = await this.#client.getObject(this.#bucket, key);
    } catch (error) {
      if (isMissingObject(error)) throw objectNotFound(key);
      throw s3Failure(error, 'read an object', this.#bucket);
    }
    // The client returns the HTTP response itself; its headers describe exactly the bytes being streamed.
    const headers = (body as Readable & { headers?: IncomingHttpHeaders }).headers ?? {};
    return { ...infoFromHeaders(key, headers), body };
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    validateObjectKey(key);
    try {
      // A HEAD of our own rather than statObject(): its metadata merges user metadata with standard
      // headers, so a user name like `content-type` could not be told apart.
      const response = await this.#client.makeRequestAsyncOmit({
        method: 'HEAD',
        bucketName: this.#bucket,
        objectName: key,
      });
      return infoFromHeaders(key, response.headers);
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw s3Failure(error, 'describe an object', this.#bucket);
    }
  }

  async *list(prefix: string, options: ListOptions): AsyncIterable<ListedObject> {
    validateObjectPrefix(prefix);
    if (options.startAfter !== undefined) validateObjectPrefix(options.startAfter, 'start_after');
    const items = this.#client.listObjectsV2(this.#bucket, prefix, options.recursive, options.startAfter ?? '');
    try {
      for await (const item of items) {
        if (item.name === undefined) continue; // a sub-folder of a non-recursive listing
        yield { key: item.name, size: item.size, etag: item.etag, lastModified: item.lastModified };
      }
    } catch (error) {
      throw s3Failure(error, 'list objects', this.#bucket);
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) validateObjectKey(key);
    if (keys.length === 0) return;
    let failures: unknown[];
    try {
      failures = await this.#client.removeObjects(this.#bucket, [...keys]);
    } catch (error) {
      throw s3Failure(error, 'delete objects', this.#bucket);
    }
    // Quiet mode lists only failures; a missing key is not one (S3 deletes are idempotent).
    const failed = failures.map((f) => (f as { Error?: unknown })?.Error ?? f).filter(Boolean);
    if (failed.length > 0) {
      const first = failed[0] as { Code?: string; Message?: string };
      throw s3Failure(
        Object.assign(new Error(first.Message ?? 'delete failed'), { code: first.Code }),
        'delete objects',
        this.#bucket,
      );
    }
  }

  async presignedGetUrl(key: string, ttlSeconds: number): Promise<string> {
    validateObjectKey(key);
    validatePresignedTtl(ttlSeconds);
    try {
      return await this.#client.presignedGetObject(this.#bucket, key, ttlSeconds);
    } catch (error) {
      throw s3Failure(error, 'sign a URL', this.#bucket);
    }
  }

  async ensureReady(): Promise<void> {
    try {
      if (await this.#client.bucketExists(this.#bucket)) return;
      await this.#client.makeBucket(this.#bucket, this.#region);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'BucketAlreadyOwnedByYou') return; // created concurrently
      const failure = s3Failure(error, 'be reached or create the bucket', this.#bucket);
      throw failure.code === 'DEPENDENCY_UNAVAILABLE'
        ? failure
        : new AppError('DEPENDENCY_UNAVAILABLE', failure.message, { cause: error, details: failure.details });
    }
  }

  async close(): Promise<void> {
    // Not agent.destroy(): that would cut bodies still being read. Idle sockets go now, busy ones when freed.
    this.#agent.maxFreeSockets = 0;
    for (const sockets of Object.values(this.#agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
  }
}

function infoFromHeaders(key: string, headers: IncomingHttpHeaders): ObjectInfo {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(USER_METADATA_PREFIX) && typeof value === 'string') {
      metadata[name.slice(USER_METADATA_PREFIX.length)] = value;
    }
  }
  const lastModified = headers['last-modified'];
  return {
    key,
    size: Number(headers['content-length'] ?? 0),
    contentType: headers['content-type'] ?? 'application/octet-stream',
    etag: String(headers.etag ?? '').replace(/^"|"$/g, ''),
    lastModified: lastModified ? new Date(lastModified) : new Date(0),
    metadata,
  };
}

function parseEndpoint(settings: MinioObjectStoreSettings): { host: string; port: number; useSsl: boolean } {
  const text = settings.endpoint.trim();
  let url: URL;
  try {
    url = new URL(text.includes('://') ? text : `${settings.useSsl ? 'https' : 'http'}://${text}`);
  } catch {
    throw new AppError('CONFIG_INVALID', `the MinIO endpoint ${JSON.stringify(text)} is not a host, host:port or URL`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || (url.pathname !== '/' && url.pathname !== '')) {
    throw new AppError('CONFIG_INVALID', `the MinIO endpoint ${JSON.stringify(text)} must be http(s)://host[:port]`);
  }
  const useSsl = url.protocol === 'https:';
  const port = settings.port ?? (url.port ? Number(url.port) : useSsl ? 443 : 80);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port, useSsl };
}
