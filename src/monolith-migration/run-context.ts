import type { MonolithSnapshot } from '../../ports/monolith-source.ts';
import type { MonolithTarget } from '../../ports/monolith-target.ts';
import type { MappingContext, MappingOptions, TargetCategoryRow, TargetStorefrontRow } from './mapping/index.ts';
import type { RowOutcome } from './step.ts';

/**
 * The MappingContext of one run: reference lookups read once (target categories, store owners, attribute codes),
 * then kept current with what this run's categories and stores steps decide, so a dry run (which writes nothing)
 * maps listings exactly as the real run would.
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
    return new RunContext(
      {
        sourceZone: settings.sourceZone,
        runTime: snapshot.snapshotTime,
        options: settings.options,
        storefrontCountryWidth: await target.storefrontCountryWidth(),
        countryCodes: settings.countryCodes,
        attributeCode: (id) => codes.get(id),
      },
      new Set(await target.categoryIds()),
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
