/** Milliseconds spent per phase of one run (a phase entered again adds to its total). */
export class PhaseTimer<Phase extends string> {
  readonly #now: () => number;
  readonly #totals: Partial<Record<Phase, number>> = {};
  #current: { readonly name: Phase; readonly at: number } | null = null;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Starts timing `phase`, ending the current one; nothing when it is the current one. */
  enter(phase: Phase | null): void {
    if (this.#current?.name === phase) return;
    const now = this.#now();
    if (this.#current !== null) {
      const { name, at } = this.#current;
      this.#totals[name] = Math.round((this.#totals[name] ?? 0) + now - at);
    }
    this.#current = phase === null ? null : { name: phase, at: now };
  }

  /** Ends the current phase and returns the totals. */
  finish(): Partial<Record<Phase, number>> {
    this.enter(null);
    return { ...this.#totals };
  }
}
