import type { MonolithSnapshot } from '../../ports/monolith-source.ts';
import type { MonolithTarget } from '../../ports/monolith-target.ts';
import type { MappingContext, MappingOptions, TargetCategoryRow, TargetStorefrontRow } from './mapping/index.ts';
import type { RowOutcome } from './step.ts';

/**
 * The MappingContext of one run: reference lookups read once (categories of the source and the target, store
 * owners, attribute codes), then kept current with what this run's stores step decides, so a dry run (which writes
 * nothing) maps listings exactly as the real run would.
 */
export class RunContext {
  readonly ctx: MappingContext;
  readonly #categories: Set<number>;
  readonly #owners: Map<number, number>;

  private constructor(
    ctx: Omit<MappingContext, 'categoryExists' | 'storeOwner'>,
    categories: Set<number>,
    owners: Map<number, number>,
  ) {
    this.#categories = categories;
    this.#owners = owners;
    this.ctx = {
      ...ctx,
      categoryExists: (id) => this.#categories.has(id),
      storeOwner: (id) => this.#owners.get(id),
    };
  }

  static async load(
    snapshot: MonolithSnapshot,
    target: MonolithTarget,
    settings: { sourceZone: string; options: MappingOptions; countryCodes: ReadonlyMap<string, string> },
  ): Promise<RunContext> {
    const codes = await snapshot.attributeCodes();
    // A category's parent "exists" when it is in the source (it is migrated by this run) or already in the target:
    // decided up front, so a category's mapping (and hash) never depends on batch boundaries or load order.
    const categories = new Set(await target.categoryIds());
    for await (const keys of snapshot.keys('c2c_categories', 10_000))
      for (const key of keys) categories.add(Number(key));
    return new RunContext(
      {
        sourceZone: settings.sourceZone,
        runTime: snapshot.snapshotTime,
        options: settings.options,
        storefrontCountryWidth: await target.storefrontCountryWidth(),
        countryCodes: settings.countryCodes,
        attributeCode: (id) => codes.get(id),
      },
      categories,
      new Map(await target.storeOwners()),
    );
  }

  /** After a categories batch: mapped categories exist for the listings that follow. */
  categories(outcomes: readonly RowOutcome[]): void {
    for (const { result } of outcomes) {
      if (result.kind === 'mapped') this.#categories.add((result.row as TargetCategoryRow).id);
    }
  }

  /** After a stores batch: mapped stores have their owner; rejected ones have none (products → STORE_MISSING). */
  stores(outcomes: readonly RowOutcome[]): void {
    for (const { result } of outcomes) {
      const id = Number(result.sourceKey);
      if (result.kind === 'mapped') this.#owners.set(id, (result.row as TargetStorefrontRow).user_id);
      else this.#owners.delete(id);
    }
  }
}
