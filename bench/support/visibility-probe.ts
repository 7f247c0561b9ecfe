import type { Client } from '@opensearch-project/opensearch';

/**
 * Measures commit-to-searchable lag from outside, as a buyer would see it: sampled listing ids are tracked with the
 * time their write committed (the use case resolved), and a loop asks the read alias every `intervalMs` which of
 * the outstanding ids a search returns (`ids` query: only refreshed documents are searchable). An id's lag is the
 * time the first answer that contained it arrived, minus its commit time: an upper bound, at most one poll
 * (interval + one search) late.
 */
export class VisibilityProbe {
  readonly #client: Client;
  readonly #alias: string;
  readonly #intervalMs: number;
  readonly #pending = new Map<string, number>();
  readonly #lagsMs: number[] = [];
  #running = false;
  #loop: Promise<void> | undefined;
  #errors = 0;

  constructor(client: Client, alias: string, intervalMs = 100) {
    this.#client = client;
    this.#alias = alias;
    this.#intervalMs = intervalMs;
  }

  /** `committedAt`: `performance.now()` when the write's transaction had committed. */
  track(id: number, committedAt: number): void {
    this.#pending.set(String(id), committedAt);
  }

  start(): void {
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Resolves once every tracked id was seen (or `timeoutMs` passed); returns the lags in ms. */
  async finish(timeoutMs: number): Promise<{ lagsMs: number[]; unseen: number; errors: number }> {
    const deadline = performance.now() + timeoutMs;
    while (this.#pending.size > 0 && performance.now() < deadline) await sleep(this.#intervalMs);
    this.#running = false;
    await this.#loop;
    return { lagsMs: [...this.#lagsMs], unseen: this.#pending.size, errors: this.#errors };
  }

  async #run(): Promise<void> {
    while (this.#running) {
      const started = performance.now();
      const ids = [...this.#pending.keys()].slice(0, 2_000);
      if (ids.length > 0) {
        try {
          const response = await this.#client.transport.request({
            method: 'POST',
            path: `/${this.#alias}/_search`,
            body: { query: { ids: { values: ids } }, _source: false, size: ids.length },
          });
          const seenAt = performance.now();
          const hits = (response.body as { hits: { hits: { _id: string }[] } }).hits.hits;
          for (const hit of hits) {
            const committedAt = this.#pending.get(hit._id);
            if (committedAt === undefined) continue;
            this.#pending.delete(hit._id);
            this.#lagsMs.push(seenAt - committedAt);
          }
        } catch {
          this.#errors += 1;
        }
      }
      await sleep(Math.max(0, this.#intervalMs - (performance.now() - started)));
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
