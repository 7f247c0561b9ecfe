import type { ImageKeyIndex, StoredImageKey } from '../../ports/image-key-index.ts';
import { IMAGE_KEY_PREFIX } from '../images/image-keys.ts';

export interface MissingImageObjectsDeps {
  readonly keys: Pick<ImageKeyIndex, 'storedImagesInKeyOrder'>;
  /** Looks rows up one by one (`stat`): for the few rows whose key lies outside the listed prefix. */
  withoutObject(rows: readonly StoredImageKey[]): Promise<StoredImageKey[]>;
  /** How many missing rows are kept for the report; all are counted. */
  readonly keptRows: number;
  /** Called after each page of rows is walked (the last one in `finish`), with the rows walked so far. */
  pageWalked?(rows: number): void;
}

const PAGE = 1000;
/** Rows outside the prefix looked up at once (they are rare: hand-written or foreign keys). */
const LOOKUPS = 16;

/**
 * Which image rows have no object, found by walking the rows in key order beside the listing of the images prefix,
 * which comes in the same order (a merge join): a row whose key the listing passed without showing it has no object.
 * This costs one listing request per 1,000 objects and one row query per 1,000 rows, instead of one `stat` per row,
 * and holds one page of rows in memory whatever the size of the store.
 *
 * Feed it every listed key in listing order (`passed`), then call `finish`. A row key outside the listed prefix is
 * never shown by that listing, so those rows are looked up one by one instead.
 */
export class MissingImageObjects {
  readonly #deps: MissingImageObjectsDeps;
  #page: readonly StoredImageKey[] = [];
  /** The page's keys as UTF-8 bytes, compared bytewise as the store orders them. */
  #pageBytes: Buffer[] = [];
  #next = 0;
  #lastPage = false;
  #walked = 0;
  #missingCount = 0;
  readonly #missing: StoredImageKey[] = [];
  #outside: StoredImageKey[] = [];

  constructor(deps: MissingImageObjectsDeps) {
    this.#deps = deps;
  }

  /** The listing showed `objectKey`: the rows before it have no object, the rows with it have theirs. */
  async passed(objectKey: string): Promise<void> {
    const object = Buffer.from(objectKey, 'utf8');
    for (let row = await this.#current(); row !== undefined; row = await this.#current()) {
      const order = Buffer.compare(this.#pageBytes[this.#next] as Buffer, object);
      if (order > 0) return;
      if (order < 0) await this.#unmatched(row);
      this.#next += 1;
    }
  }

  /** The listing ended: every row not yet walked has no object. */
  async finish(): Promise<{ readonly rows: number; readonly count: number; readonly missing: StoredImageKey[] }> {
    for (let row = await this.#current(); row !== undefined; row = await this.#current()) {
      await this.#unmatched(row);
      this.#next += 1;
    }
    await this.#lookUpOutside();
    this.#deps.pageWalked?.(this.#walked);
    return { rows: this.#walked, count: this.#missingCount, missing: this.#missing };
  }

  /** The next row to match, reading the next page when this one is walked; undefined after the last row. */
  async #current(): Promise<StoredImageKey | undefined> {
    if (this.#next < this.#page.length) return this.#page[this.#next];
    if (this.#lastPage) return undefined;
    if (this.#page.length > 0) this.#deps.pageWalked?.(this.#walked);
    const after = this.#page.at(-1);
    this.#page = await this.#deps.keys.storedImagesInKeyOrder(after, PAGE);
    this.#pageBytes = this.#page.map((row) => Buffer.from(row.storageKey, 'utf8'));
    this.#next = 0;
    this.#lastPage = this.#page.length < PAGE;
    this.#walked += this.#page.length;
    return this.#page[0];
  }

  async #unmatched(row: StoredImageKey): Promise<void> {
    if (!row.storageKey.startsWith(IMAGE_KEY_PREFIX)) {
      this.#outside.push(row);
      if (this.#outside.length >= LOOKUPS) await this.#lookUpOutside();
      return;
    }
    this.#count(row);
  }

  async #lookUpOutside(): Promise<void> {
    const rows = this.#outside;
    if (rows.length === 0) return;
    this.#outside = [];
    for (const row of await this.#deps.withoutObject(rows)) this.#count(row);
  }

  #count(row: StoredImageKey): void {
    this.#missingCount += 1;
    if (this.#missing.length < this.#deps.keptRows) this.#missing.push(row);
  }
}
