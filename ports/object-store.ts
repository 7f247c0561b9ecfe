import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AppError, type FieldViolation, validationError } from '../src/domain/errors.ts';

/**
 * A bucket of named byte streams: listing images now, backups later. Adapters: `adapters/fs-storage`
 * (a local folder, the embedded default) and `adapters/minio` (any S3-compatible server). Both pass
 * `test/contracts/object-store.contract.ts`.
 *
 * Keys are relative, `/`-separated paths (`listings/42/cover.jpg`), checked by {@link validateObjectKey}:
 * UTF-8, 1–1024 bytes, no leading `/`, no empty, `.` or `..` segment (so no trailing `/` and no `//`), no
 * backslash, no control character. A bad key is `AppError('VALIDATION_FAILED')`, whatever the adapter.
 * Do not make a key a folder of other keys (`a` and `a/b` both objects): S3 allows it, but MinIO then
 * hides `a/b` from `list` (it still stores it). Adapters need not detect this; choose keys that avoid it.
 *
 * Guarantees every adapter keeps:
 * - Streaming: `put` and `get` hold a bounded amount of the body in memory (at most one upload part,
 *   a few MiB), never the whole object.
 * - All or nothing: a `put` that fails (limit exceeded, body error, length mismatch, server error)
 *   leaves no object and no partial upload behind; an existing object under the key is left unchanged.
 *   Readers see either the old object or the new one, never a mix.
 * - Overwrite: `put` to an existing key replaces the object, its content type and its metadata.
 */
export interface ObjectStore {
  /**
   * Stores `body` under `key`, replacing any object there. Reads `body` as a stream and rejects as soon
   * as it passes `options.maxBytes` (`PAYLOAD_TOO_LARGE`), without reading the rest. If `body` emits an
   * error, `put` rejects with that same error; either way nothing is stored and a stream body is
   * destroyed. A store that is unreachable or refuses us is `DEPENDENCY_UNAVAILABLE`. (Should the server
   * vanish mid-upload, S3 may keep the aborted parts; the MinIO adapter logs the upload id then.)
   */
  put(key: string, body: Readable | Uint8Array, options: PutOptions): Promise<PutResult>;
  /** Opens the object for reading. A missing object is `AppError('OBJECT_NOT_FOUND')`. */
  get(key: string): Promise<StoredObject>;
  /** The object's description without its body, or `undefined` when there is no such object. */
  stat(key: string): Promise<ObjectInfo | undefined>;
  /**
   * The objects whose key starts with `prefix` (a plain string prefix, `''` for all), in ascending order
   * of the keys' UTF-8 bytes. Lazy: pages are fetched as the caller iterates.
   */
  list(prefix: string, options: ListOptions): AsyncIterable<ListedObject>;
  /** Removes the objects; keys with no object are ignored, so repeating a delete is harmless. */
  delete(keys: readonly string[]): Promise<void>;
  /**
   * A URL that lets whoever holds it GET the object, without credentials, for `ttlSeconds` (an integer,
   * 1–604800, i.e. at most 7 days). The object need not exist yet; fetching a missing one fails then.
   * MinIO returns an absolute URL; the filesystem store returns a signed path (`/files/<key>?...`)
   * that `listings serve` answers.
   */
  presignedGetUrl(key: string, ttlSeconds: number): Promise<string>;
  /**
   * Creates the bucket or folder when missing and proves the store answers. Idempotent, safe to call
   * concurrently; used at start-up and as the readiness check. Unreachable or refusing the credentials
   * is `AppError('DEPENDENCY_UNAVAILABLE')`.
   */
  ensureReady(): Promise<void>;
  /** Releases connections and handles. Bodies already returned by `get` stay readable. */
  close(): Promise<void>;
}

export interface PutOptions {
  /** MIME type returned by `get`/`stat` and served with presigned URLs, e.g. `image/jpeg`. */
  readonly contentType: string;
  /**
   * The body's length in bytes when known. A body of another length is `VALIDATION_FAILED` and nothing is
   * stored; a `contentLength` above `maxBytes` is `PAYLOAD_TOO_LARGE` before any byte is read.
   */
  readonly contentLength?: number;
  /**
   * User metadata returned by `get`/`stat`. Names: lowercase `a-z`, `0-9`, `-`, starting with a letter or
   * digit, at most 128 bytes. Values: printable ASCII (0x20–0x7E) with no leading or trailing space, so
   * they survive as HTTP headers; encode anything else yourself. All names and values together: at most 2048 bytes (the S3 limit).
   */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Largest accepted body in bytes; beyond it `put` aborts with `PAYLOAD_TOO_LARGE`. Default: no limit. */
  readonly maxBytes?: number;
}

export interface PutResult {
  readonly key: string;
  /** Bytes stored. */
  readonly size: number;
  /** Opaque version tag: changes whenever the content changes. Not comparable across adapters. */
  readonly etag: string;
  /** Hex SHA-256 of the bytes stored, when the adapter computed it (both current adapters do). */
  readonly sha256?: string;
}

export interface ObjectInfo {
  readonly key: string;
  /** Bytes. */
  readonly size: number;
  readonly contentType: string;
  readonly etag: string;
  readonly lastModified: Date;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface StoredObject extends ObjectInfo {
  /** The bytes. Read it to the end or destroy it, or the connection/file handle stays open. */
  readonly body: Readable;
}

export interface ListOptions {
  /**
   * `true`: every object under `prefix`. `false`: only the objects with no `/` after `prefix` (the
   * "folder" itself); deeper objects and sub-folder names are not returned.
   */
  readonly recursive: boolean;
  /** Return only keys strictly after this one (UTF-8 byte order), to resume a listing. */
  readonly startAfter?: string;
}

export interface ListedObject {
  readonly key: string;
  /** Bytes. */
  readonly size: number;
  readonly lastModified: Date;
  readonly etag: string;
}

/** Longest key, in UTF-8 bytes (the S3 limit). */
export const MAX_OBJECT_KEY_BYTES = 1024;
/** Longest presigned URL lifetime, in seconds (7 days, the S3 limit). */
export const MAX_PRESIGNED_TTL_SECONDS = 604_800;
const MAX_METADATA_BYTES = 2048;
const MAX_METADATA_NAME_BYTES = 128;

// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const METADATA_NAME = /^[a-z0-9][a-z0-9-]*$/;
// HTTP trims a header value's outer spaces, so a value may hold spaces only between other characters.
const METADATA_VALUE = /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/;
const CONTENT_TYPE = /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=("[^"\\\r\n]*"|[\w.+-]+))*$/;

function violation(field: string, reason: string, message: string): FieldViolation {
  return { field, reason, message };
}

/**
 * The order {@link ObjectStore.list} returns keys in: by their UTF-8 bytes. JavaScript's `<` compares UTF-16 units,
 * which differs once a key holds a character above U+FFFF (`😀` sorts before `ｘ` there, after it here).
 */
export function compareObjectKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Throws `VALIDATION_FAILED` unless `key` follows the key rules of {@link ObjectStore}. */
export function validateObjectKey(key: string, field = 'key'): void {
  const problem = keyProblem(key);
  if (problem) throw validationError([violation(field, problem[0], `object key ${JSON.stringify(key)} ${problem[1]}`)]);
}

function keyProblem(key: string): [reason: string, message: string] | undefined {
  if (typeof key !== 'string' || key.length === 0) return ['required', 'is empty'];
  if (Buffer.byteLength(key, 'utf8') > MAX_OBJECT_KEY_BYTES)
    return ['too_long', `exceeds ${MAX_OBJECT_KEY_BYTES} bytes`];
  if (key.isWellFormed?.() === false) return ['invalid_utf8', 'is not well-formed Unicode'];
  if (key.startsWith('/')) return ['absolute', 'must be relative (no leading /)'];
  if (key.includes('\\')) return ['backslash', 'must use / as separator, not \\'];
  if (CONTROL_CHARACTER.test(key)) return ['control_character', 'contains a control character'];
  for (const segment of key.split('/')) {
    if (segment === '') return ['empty_segment', 'has an empty segment (// or a trailing /)'];
    if (segment === '.' || segment === '..') return ['dot_segment', 'has a . or .. segment'];
  }
  return undefined;
}

/** Throws `VALIDATION_FAILED` unless a prefix/startAfter is usable: `''` or a key-like string (may end in `/`). */
export function validateObjectPrefix(prefix: string, field = 'prefix'): void {
  if (prefix === '') return;
  const problem = keyProblem(prefix.endsWith('/') ? `${prefix}x` : prefix);
  if (problem) throw validationError([violation(field, problem[0], `prefix ${JSON.stringify(prefix)} ${problem[1]}`)]);
}

/** Throws `VALIDATION_FAILED`/`PAYLOAD_TOO_LARGE` unless the options follow {@link PutOptions}. */
export function validatePutOptions(options: PutOptions): void {
  const problems: FieldViolation[] = [];
  if (typeof options.contentType !== 'string' || !CONTENT_TYPE.test(options.contentType)) {
    problems.push(violation('content_type', 'invalid', 'content type must look like type/subtype'));
  }
  for (const [field, value] of [
    ['content_length', options.contentLength],
    ['max_bytes', options.maxBytes],
  ] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      problems.push(violation(field, 'invalid', `${field} must be a non-negative integer`));
    }
  }
  problems.push(...metadataProblems(options.metadata ?? {}));
  if (problems.length > 0) throw validationError(problems);
  const { contentLength, maxBytes } = options;
  if (contentLength !== undefined && maxBytes !== undefined && contentLength > maxBytes) {
    throw payloadTooLarge(maxBytes);
  }
}

function metadataProblems(metadata: Readonly<Record<string, string>>): FieldViolation[] {
  const problems: FieldViolation[] = [];
  let total = 0;
  for (const [name, value] of Object.entries(metadata)) {
    total += Buffer.byteLength(name) + Buffer.byteLength(String(value));
    if (!METADATA_NAME.test(name) || name.length > MAX_METADATA_NAME_BYTES) {
      problems.push(violation(`metadata.${name}`, 'invalid_name', 'metadata names are lowercase a-z, 0-9 and -'));
    } else if (typeof value !== 'string' || !METADATA_VALUE.test(value)) {
      problems.push(
        violation(`metadata.${name}`, 'invalid_value', 'metadata values are printable ASCII, not space-padded'),
      );
    }
  }
  if (total > MAX_METADATA_BYTES) {
    problems.push(violation('metadata', 'too_large', `metadata exceeds ${MAX_METADATA_BYTES} bytes`));
  }
  return problems;
}

/** Throws `VALIDATION_FAILED` unless `ttlSeconds` is an integer in 1–{@link MAX_PRESIGNED_TTL_SECONDS}. */
export function validatePresignedTtl(ttlSeconds: number): void {
  if (Number.isInteger(ttlSeconds) && ttlSeconds >= 1 && ttlSeconds <= MAX_PRESIGNED_TTL_SECONDS) return;
  throw validationError([
    violation('ttl_seconds', 'out_of_range', `ttl must be an integer from 1 to ${MAX_PRESIGNED_TTL_SECONDS} seconds`),
  ]);
}

/** The error every adapter raises when a body passes `maxBytes`. */
export function payloadTooLarge(maxBytes: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `the body is larger than the limit of ${maxBytes} bytes`, {
    details: { maxBytes },
  });
}

/** The error every adapter raises for a missing object in `get`. */
export function objectNotFound(key: string): AppError {
  return new AppError('OBJECT_NOT_FOUND', `no object with key ${JSON.stringify(key)}`, { details: { key } });
}

/**
 * Counts and hashes a body as an adapter streams it, enforcing `maxBytes` and `contentLength` chunk by
 * chunk so an adapter can stop reading the moment a limit is passed. Shared so both adapters fail the
 * same way for the same body.
 */
export class BodyMeter {
  readonly #maxBytes: number | undefined;
  readonly #contentLength: number | undefined;
  readonly #hash = createHash('sha256');
  #size = 0;

  constructor(options: Pick<PutOptions, 'maxBytes' | 'contentLength'>) {
    this.#maxBytes = options.maxBytes;
    this.#contentLength = options.contentLength;
  }

  /** Bytes seen so far. */
  get size(): number {
    return this.#size;
  }

  /** Accounts for one chunk; throws `PAYLOAD_TOO_LARGE` or `VALIDATION_FAILED` when a limit is passed. */
  add(chunk: Uint8Array): void {
    this.#size += chunk.byteLength;
    if (this.#maxBytes !== undefined && this.#size > this.#maxBytes) throw payloadTooLarge(this.#maxBytes);
    if (this.#contentLength !== undefined && this.#size > this.#contentLength) throw this.#lengthMismatch();
    this.#hash.update(chunk);
  }

  /** Call after the last chunk: throws when fewer bytes than `contentLength` arrived. */
  finish(): { size: number; sha256: string } {
    if (this.#contentLength !== undefined && this.#size !== this.#contentLength) throw this.#lengthMismatch();
    return { size: this.#size, sha256: this.#hash.digest('hex') };
  }

  #lengthMismatch(): AppError {
    const message = `the body does not have the announced length of ${this.#contentLength} bytes`;
    return validationError([violation('content_length', 'mismatch', message)]);
  }
}

/** The body as byte chunks; leaving the loop early destroys a stream body (the store owns it from then). */
export async function* bodyChunks(body: Readable | Uint8Array): AsyncGenerator<Uint8Array> {
  if (body instanceof Uint8Array) {
    yield body;
    return;
  }
  for await (const chunk of body) {
    if (typeof chunk === 'string') yield Buffer.from(chunk);
    else if (chunk instanceof Uint8Array) yield chunk;
    else throw validationError([violation('body', 'not_bytes', 'the body stream must emit bytes')]);
  }
}
