import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compareObjectKeys, type ListedObject } from '../../ports/object-store.ts';
import { readManifest } from './object-file.ts';
import { decodeSegment, folderPath, OBJECT_FILE_SUFFIX } from './object-paths.ts';

interface Entry {
  /** The key (object) or key prefix ending in `/` (folder) this entry stands for. */
  readonly key: string;
  readonly name: string;
  readonly folder: boolean;
}

/**
 * Lists objects under `prefix` in key order by walking only the folders that can hold matches, one folder
 * read at a time. Sorting a folder's entries by key (a folder sorting as `name/`) gives the global key
 * order, because every key inside a folder shares that folder's prefix.
 */
export async function* walkObjects(
  root: string,
  prefix: string,
  recursive: boolean,
  startAfter: string | undefined,
): AsyncGenerator<ListedObject> {
  const startFolder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
  yield* walkFolder(folderPath(root, startFolder), startFolder, { prefix, recursive, startAfter });
}

interface Filter {
  readonly prefix: string;
  readonly recursive: boolean;
  readonly startAfter: string | undefined;
}

async function* walkFolder(path: string, folderKey: string, filter: Filter): AsyncGenerator<ListedObject> {
  for (const entry of await folderEntries(path, folderKey)) {
    if (entry.folder) {
      if (wantsFolder(entry.key, filter)) yield* walkFolder(join(path, entry.name), entry.key, filter);
    } else if (wantsObject(entry.key, filter)) {
      const listed = await describe(join(path, entry.name), entry.key);
      if (listed) yield listed;
    }
  }
}

function wantsObject(key: string, { prefix, recursive, startAfter }: Filter): boolean {
  if (!key.startsWith(prefix)) return false;
  if (!recursive && key.slice(prefix.length).includes('/')) return false;
  return startAfter === undefined || compareObjectKeys(key, startAfter) > 0;
}

function wantsFolder(folderKey: string, { prefix, recursive, startAfter }: Filter): boolean {
  const onTheWay = prefix.startsWith(folderKey);
  if (!onTheWay && !(recursive && folderKey.startsWith(prefix))) return false;
  // Every key inside sorts after `folderKey`; if startAfter is past it and outside it, all of them are too.
  return startAfter === undefined || startAfter.startsWith(folderKey) || compareObjectKeys(folderKey, startAfter) > 0;
}

async function folderEntries(path: string, folderKey: string): Promise<Entry[]> {
  let dirents: import('node:fs').Dirent[];
  try {
    dirents = await readdir(path, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const entries: Entry[] = [];
  for (const dirent of dirents) {
    const isObject = dirent.isFile() && dirent.name.endsWith(OBJECT_FILE_SUFFIX);
    if (!isObject && !dirent.isDirectory()) continue;
    const segment = decodeSegment(isObject ? dirent.name.slice(0, -OBJECT_FILE_SUFFIX.length) : dirent.name);
    if (segment === undefined) continue;
    entries.push({ key: folderKey + segment + (isObject ? '' : '/'), name: dirent.name, folder: !isObject });
  }
  return entries.sort((a, b) => compareObjectKeys(a.key, b.key));
}

/** Size, etag and time from the file's manifest; undefined when it vanished or is not an object file. */
async function describe(path: string, key: string): Promise<ListedObject | undefined> {
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (isMissing(error)) return undefined; // deleted while we listed
    throw error;
  }
  try {
    const manifest = await readManifest(handle, (await handle.stat()).size);
    if (!manifest) return undefined;
    return { key, size: manifest.size, etag: manifest.etag, lastModified: new Date(manifest.lastModified) };
  } finally {
    await handle.close();
  }
}

export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
