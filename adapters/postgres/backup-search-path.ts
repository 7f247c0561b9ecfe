import { Transform, type TransformCallback } from 'node:stream';

/** What pg_restore's script sets first, for safety against objects planted in user schemas (CVE-2018-1058). */
const EMPTY_SEARCH_PATH = "SELECT pg_catalog.set_config('search_path', '', false);";
const RESTORE_SEARCH_PATH = "SELECT pg_catalog.set_config('search_path', 'public', false);";
/** The header is the script's first lines; past this, the stream passes untouched (data rows are never edited). */
const HEADER_LIMIT = 1024 * 1024;

/**
 * Rewrites the empty search_path at the head of a pg_restore script to `public`, where the schema's extensions live.
 * Why: earthdistance's `ll_to_earth` (PostgreSQL 15 and older) names the `earth` type unqualified, and it is inlined
 * when the `listing_search` GiST index is built, so a restore with the empty search_path fails with
 * `type "earth" does not exist`. With `public` the restore runs as the migrations did.
 */
export class RestoreSearchPath extends Transform {
  #head = '';
  #done = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.#done) {
      done(null, chunk);
      return;
    }
    this.#head += chunk.toString('latin1');
    if (this.#head.includes(EMPTY_SEARCH_PATH) || this.#head.length > HEADER_LIMIT) this.#flushHead();
    done();
  }

  override _flush(done: TransformCallback): void {
    if (!this.#done) this.#flushHead();
    done();
  }

  #flushHead(): void {
    this.#done = true;
    // latin1 maps bytes 1:1, so multi-byte UTF-8 split across chunks passes through unchanged.
    this.push(Buffer.from(this.#head.replace(EMPTY_SEARCH_PATH, RESTORE_SEARCH_PATH), 'latin1'));
    this.#head = '';
  }
}
