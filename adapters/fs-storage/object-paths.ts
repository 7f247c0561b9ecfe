import { isAbsolute, join, relative, resolve } from 'node:path';
import { AppError, validationError } from '../../src/domain/errors.ts';

/**
 * Where each object key lives under the store's root folder.
 *
 * S3 lets `a` and `a/b` both be objects; on disk `a` cannot be a file and a folder at once. So an object
 * is the file `<segment>~` and a folder is plain `<segment>`: each key segment is escaped so it never holds
 * a `~` itself (and never starts with `.`), which keeps object files, folders and the store's own `.tmp/`
 * apart. `listings/42/cover.jpg` is stored as `<root>/listings/42/cover.jpg~`.
 */
export const OBJECT_FILE_SUFFIX = '~';
/** Longest file name most filesystems accept, in bytes. */
const MAX_NAME_BYTES = 255;

/** Escapes `%`, `~` and a leading `.`; every other character is kept, so the tree stays readable. */
export function encodeSegment(segment: string): string {
  const escaped = segment.replace(/[%~]/g, (c) => (c === '%' ? '%25' : '%7E'));
  return escaped.startsWith('.') ? `%2E${escaped.slice(1)}` : escaped;
}

/** The key segment of an on-disk name, or undefined for a name this store did not write. */
export function decodeSegment(name: string): string | undefined {
  if (name === '' || name.startsWith('.')) return undefined;
  const segment = name.replace(/%(25|7E|2E)/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return encodeSegment(segment) === name ? segment : undefined;
}

/** Resolves `parts` under `root` and refuses any result outside it (defence in depth behind key validation). */
export function underRoot(root: string, ...parts: string[]): string {
  const path = resolve(root, ...parts);
  const rel = relative(root, path);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new AppError('VALIDATION_FAILED', 'the object path leaves the storage folder', { details: { parts } });
  }
  return path;
}

/** The object file of an already validated key. */
export function objectFilePath(root: string, key: string): string {
  const segments = key.split('/');
  const names = segments.map(
    (segment, i) => encodeSegment(segment) + (i === segments.length - 1 ? OBJECT_FILE_SUFFIX : ''),
  );
  const long = names.find((name) => Buffer.byteLength(name) > MAX_NAME_BYTES);
  if (long !== undefined) {
    throw validationError([
      { field: 'key', reason: 'segment_too_long', message: `a key segment is longer than the filesystem allows` },
    ]);
  }
  return underRoot(root, ...names);
}

/** The folder holding the objects whose keys start with `folderKey` (`''` or ending in `/`). */
export function folderPath(root: string, folderKey: string): string {
  const segments = folderKey.split('/').filter((s) => s !== '');
  return underRoot(root, ...segments.map(encodeSegment));
}

/** The store's scratch folder for uploads in progress. */
export function tempFolder(root: string): string {
  return join(root, '.tmp');
}
