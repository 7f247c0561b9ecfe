import type { MonolithTarget } from '../../ports/monolith-target.ts';
import type { ParentListing, ParentPresence, SourceTable } from './mapping/index.ts';
import type { OutcomeRegistry } from './outcome-registry.ts';

/**
 * Where a child row's parent stands (mapping/types.ts ParentListing): first what this run decided (the outcome
 * registry), then, for parents this run did not scan (`--since`), what earlier runs left in the target's
 * bookkeeping. A parent table this run scanned in full is authoritative: absent there means missing.
 */
export class ParentLookup {
  readonly #target: MonolithTarget;
  readonly #registries: ReadonlyMap<SourceTable, OutcomeRegistry>;
  readonly #complete: ReadonlySet<SourceTable>;

  constructor(
    target: MonolithTarget,
    registries: ReadonlyMap<SourceTable, OutcomeRegistry>,
    complete: ReadonlySet<SourceTable>,
  ) {
    this.#target = target;
    this.#registries = registries;
    this.#complete = complete;
  }

  async listings(
    table: 'c2c_listings' | 'b2c_products',
    ids: readonly (number | null)[],
  ): Promise<(id: number | null) => ParentListing> {
    const registry = this.#registries.get(table);
    const known = new Map<number, ParentListing>();
    const ask: number[] = [];
    for (const id of new Set(ids)) {
      if (id === null) continue;
      const outcome = registry?.get(id);
      if (outcome?.state === 'migrated') known.set(id, { state: 'migrated', id, createdAt: outcome.createdAt ?? '' });
      else if (outcome?.state === 'rejected') known.set(id, { state: 'rejected', id });
      else if (!this.#complete.has(table)) ask.push(id);
    }
    for (const [id, parent] of await this.#target.listingParents(table, ask)) known.set(id, parent);
    return (id) => (id === null ? { state: 'missing' } : (known.get(id) ?? { state: 'missing' }));
  }

  async presence(table: SourceTable, ids: readonly number[]): Promise<(id: number) => ParentPresence> {
    const registry = this.#registries.get(table);
    const known = new Map<number, ParentPresence>();
    const ask: string[] = [];
    for (const id of new Set(ids)) {
      const outcome = registry?.get(id);
      if (outcome !== undefined) known.set(id, outcome.state);
      else if (!this.#complete.has(table)) ask.push(String(id));
    }
    for (const [key, presence] of await this.#target.presence(table, ask)) known.set(Number(key), presence);
    return (id) => known.get(id) ?? 'missing';
  }
}
