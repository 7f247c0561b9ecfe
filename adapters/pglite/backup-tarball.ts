import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { AppError } from '../../src/domain/errors.ts';

const BLOCK = 512;

export interface TarballSummary {
  readonly entries: number;
  /** Regular files. */
  readonly files: number;
  readonly names: ReadonlySet<string>;
}

/**
 * Reads a gzipped tar stream to its end, one block at a time, and lists its members: the "table of contents" of a
 * PGlite data-directory dump. Truncation or damage (a gzip error, a member cut short, no end-of-archive blocks) is
 * `CHECK_FAILED`.
 */
export async function readTarball(gzipped: Readable): Promise<TarballSummary> {
  const gunzip = createGunzip();
  gzipped.on('error', (error) => gunzip.destroy(error));
  gzipped.pipe(gunzip);
  const names = new Set<string>();
  let entries = 0;
  let files = 0;
  let pending: Buffer = Buffer.alloc(0);
  let skip = 0;
  let ended = false;
  try {
    for await (const chunk of gunzip) {
      pending = pending.length === 0 ? (chunk as Buffer) : Buffer.concat([pending, chunk as Buffer]);
      while (!ended) {
        if (skip > 0) {
          const dropped = Math.min(skip, pending.length);
          pending = pending.subarray(dropped);
          skip -= dropped;
          if (skip > 0) break;
        }
        if (pending.length < BLOCK) break;
        const header = pending.subarray(0, BLOCK);
        pending = pending.subarray(BLOCK);
        if (header.every((byte) => byte === 0)) {
          ended = true;
          break;
        }
        const size = Number.parseInt(field(header, 124, 12) || '0', 8);
        if (!Number.isSafeInteger(size) || size < 0) throw damaged('a member header has no valid size');
        const type = String.fromCharCode(header[156] ?? 0);
        const prefix = header.subarray(257, 262).toString() === 'ustar' ? field(header, 345, 155) : '';
        const name = prefix === '' ? field(header, 0, 100) : `${prefix}/${field(header, 0, 100)}`;
        entries += 1;
        if (type === '0' || type === '\0') files += 1;
        names.add(name.replace(/^\.\//, ''));
        skip = Math.ceil(size / BLOCK) * BLOCK;
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw damaged((error as Error).message);
  }
  if (!ended || skip > 0) throw damaged('the archive ends before its last member');
  return { entries, files, names };
}

function field(header: Buffer, offset: number, length: number): string {
  const raw = header.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return (end < 0 ? raw : raw.subarray(0, end)).toString('utf8').trim();
}

function damaged(message: string): AppError {
  return new AppError('CHECK_FAILED', `the data-directory tarball is unreadable: ${message}`);
}
