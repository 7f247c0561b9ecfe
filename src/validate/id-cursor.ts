/**
 * Walks a keyset-paged source in id order, one item at a time, with the next page read while the current one is
 * consumed (so PostgreSQL and the search index are read in parallel and never wait for each other's pages).
 */
export interface IdPage<T> {
  readonly items: readonly T[];
  /** Where the next page starts; null when this was the last page. */
  readonly nextAfterId: number | null;
}

export class IdCursor<T extends { readonly id: number }> {
  readonly #fetch: (afterId: number) => Promise<IdPage<T>>;
  #items: readonly T[] = [];
  #position = 0;
  #next: Promise<IdPage<T>> | null;

  constructor(fetch: (afterId: number) => Promise<IdPage<T>>) {
    this.#fetch = fetch;
    this.#next = fetch(0);
    // A failure surfaces when the page is awaited; until then it must not count as unhandled.
    this.#next.catch(() => undefined);
  }

  /** The current item, or undefined when the source is exhausted. */
  async current(): Promise<T | undefined> {
    while (this.#position >= this.#items.length) {
      if (this.#next === null) return undefined;
      const page = await this.#next;
      this.#items = page.items;
      this.#position = 0;
      this.#next = page.nextAfterId === null ? null : this.#fetch(page.nextAfterId);
      this.#next?.catch(() => undefined);
    }
    return this.#items[this.#position];
  }

  advance(): void {
    this.#position += 1;
  }
}
