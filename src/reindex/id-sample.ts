/**
 * A uniform random sample of ids from a stream of unknown length in constant memory (reservoir sampling,
 * Algorithm R): after n offers each id is kept with probability size / n.
 */
export class IdSample {
  readonly #size: number;
  readonly #random: () => number;
  readonly #ids: number[] = [];
  #seen = 0;

  constructor(size: number, random: () => number = Math.random) {
    this.#size = Math.max(0, Math.floor(size));
    this.#random = random;
  }

  offer(id: number): void {
    this.#seen += 1;
    if (this.#ids.length < this.#size) {
      this.#ids.push(id);
      return;
    }
    const slot = Math.floor(this.#random() * this.#seen);
    if (slot < this.#size) this.#ids[slot] = id;
  }

  /** The sampled ids, ascending. */
  ids(): number[] {
    return [...this.#ids].sort((a, b) => a - b);
  }
}
