import type { MonolithSnapshot } from '../../../ports/monolith-source.ts';
import type { MonolithTarget } from '../../../ports/monolith-target.ts';
import type { MonolithVerificationTarget } from '../../../ports/monolith-verification.ts';
import { bucketOf, KEY_SPECS, keyColumnText, type SourceTable, type VerifiedTable } from '../mapping/index.ts';
import type { MonolithMapping } from '../monolith-mapping.ts';
import type { DifferenceLog } from './differences.ts';
import { settleRunTime } from './expected-side.ts';
import { DRILLED_BUCKETS, drillDown } from './key-checksums.ts';
import { mappingPass, type PassSettings } from './mapping-pass.ts';

/** The source tables whose mapping writes rows of each verified target table. */
const FED_BY: { readonly [T in VerifiedTable]: readonly SourceTable[] } = {
  listings: ['c2c_listings', 'b2c_products'],
  listing_images: ['c2c_images', 'b2c_product_images'],
  storefronts: ['b2c_stores'],
  c2c_categories: ['c2c_categories'],
  c2c_favorites: ['c2c_favorites', 'b2c_favorites'],
  listing_attributes: ['c2c_listings', 'b2c_products', 'unified_attribute_values'],
  b2c_product_variants: ['b2c_product_variants', 'c2c_listing_variants'],
};

/**
 * Drills mismatching key-column buckets down to rows and fields: a second mapping pass over only the source
 * tables that feed those target tables keeps the key texts of the first {@link DRILLED_BUCKETS} mismatching
 * buckets of each, which are then compared with the target's texts of the same buckets. Further mismatching
 * buckets are listed as buckets. Runs only when a checksum differs, so a clean verify reads the source once.
 */
export async function drillDownBuckets(
  mismatched: ReadonlyMap<VerifiedTable, readonly number[]>,
  deps: {
    readonly snapshot: MonolithSnapshot;
    readonly lookups: MonolithTarget;
    readonly mapping: MonolithMapping;
    readonly target: MonolithVerificationTarget;
  },
  settings: PassSettings,
  log: DifferenceLog,
): Promise<void> {
  const wanted = new Map<VerifiedTable, Map<number, string[]>>();
  const tables = new Set<SourceTable>();
  for (const [table, buckets] of mismatched) {
    wanted.set(table, new Map(buckets.slice(0, DRILLED_BUCKETS).map((bucket) => [bucket, []])));
    for (const source of FED_BY[table]) tables.add(source);
    for (const bucket of buckets.slice(DRILLED_BUCKETS)) {
      log.add({
        layer: 'checksums',
        table,
        id: `bucket ${bucket}`,
        field: '(rows)',
        expected: 'digest',
        actual: 'differs',
      });
    }
  }
  await mappingPass(
    deps,
    { ...settings, tables },
    {
      async batch(_table, raw) {
        const { outcomes } = await settleRunTime(raw, deps.target);
        for (const { writes } of outcomes) {
          for (const { table, row } of writes) {
            const buckets = wanted.get(table as VerifiedTable);
            if (buckets === undefined) continue;
            const spec = KEY_SPECS[table as VerifiedTable] as { bucketId(row: unknown): number };
            buckets.get(bucketOf(spec.bucketId(row)))?.push(keyColumnText(table as VerifiedTable, row as never));
          }
        }
      },
    },
  );
  for (const [table, buckets] of wanted) {
    for (const [bucket, texts] of buckets) {
      drillDown(table, bucket, texts, await deps.target.bucketTexts(table, bucket), log);
    }
  }
}
