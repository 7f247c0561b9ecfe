import type { SourceRecords } from '../../ports/monolith-source.ts';
import type { TargetRowValues } from '../../ports/monolith-target.ts';
import type { ListingBundle, MappingResult } from './mapping/index.ts';
import { type RowOutcome, type Step, single } from './step.ts';

/** Categories, stores, C2C listings and B2C products: the rows every later step hangs off (§3.3–§3.5). */
export const categoriesStep: Step<'c2c_categories'> = {
  table: 'c2c_categories',
  deleteRule: 'bookkeeping-only',
  async map(records, env) {
    return records.map((row) => single('c2c_categories', env.mapping.category(row, env.ctx), row));
  },
};

export const storesStep: Step<'b2c_stores'> = {
  table: 'b2c_stores',
  deleteRule: 'bookkeeping-only',
  async map(records, env) {
    return records.map((row) => single('storefronts', env.mapping.store(row, env.ctx), row));
  },
};

function bundleOutcome(
  result: MappingResult<ListingBundle>,
  sourceRow: unknown,
  listingId: number,
  rawStatus: string,
  unifiedCondition: boolean,
): RowOutcome {
  if (result.kind === 'rejected') return { result, sourceRow, writes: [], listingId };
  const { listing, location, conditionAttribute } = result.row;
  const writes: { table: 'listings' | 'listing_locations' | 'listing_attributes'; row: TargetRowValues }[] = [
    { table: 'listings', row: listing as unknown as TargetRowValues },
  ];
  const removals: { table: 'listing_locations' | 'listing_attributes'; attributeKey?: string }[] = [];
  if (location !== null) writes.push({ table: 'listing_locations', row: location as unknown as TargetRowValues });
  else removals.push({ table: 'listing_locations' });
  if (conditionAttribute !== null) {
    writes.push({ table: 'listing_attributes', row: conditionAttribute as unknown as TargetRowValues });
  } else if (!unifiedCondition) {
    // A unified `condition` value owns the row when it exists (§3.8); only the listing's own one is removed.
    removals.push({ table: 'listing_attributes', attributeKey: 'condition' });
  }
  return {
    result,
    sourceRow,
    writes,
    removals,
    listingId,
    status: { raw: rawStatus, target: listing.status },
    createdAt: listing.created_at,
  };
}

export const c2cListingsStep: Step<'c2c_listings'> = {
  table: 'c2c_listings',
  deleteRule: 'soft-delete-listing',
  parent: true,
  async map(records: readonly SourceRecords['c2c_listings'][], env) {
    return records.map(({ row, related }) =>
      bundleOutcome(
        env.mapping.c2cListing(row, related, env.ctx),
        row,
        row.id,
        (row.status ?? '').trim().toLowerCase(),
        related.unifiedCondition !== null,
      ),
    );
  },
};

export const b2cProductsStep: Step<'b2c_products'> = {
  table: 'b2c_products',
  deleteRule: 'soft-delete-listing',
  parent: true,
  async map(records: readonly SourceRecords['b2c_products'][], env) {
    return records.map(({ row, related }) =>
      bundleOutcome(
        env.mapping.b2cProduct(row, related, env.ctx),
        row,
        row.id,
        row.is_active ? 'is_active=true' : 'is_active=false',
        true,
      ),
    );
  },
};
