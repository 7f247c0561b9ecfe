import { KnexSideRowsCopy } from '../../../adapters/sql/knex-side-rows-copy.ts';
import { describeSideRowsCopyContract } from '../../contracts/side-rows-copy.contract.ts';
import { openSqlHarness, SQL_TARGETS } from './sql-harness.ts';

/** Drift made the way only bypassed triggers make it: writing `listing_side_rows` itself. */
const CORRUPTIONS = {
  missing: 'DELETE FROM listing_side_rows WHERE listing_id = ?',
  stale: `UPDATE listing_side_rows SET tags = '["old"]' WHERE listing_id = ?`,
  extra: `INSERT INTO listing_side_rows (listing_id, tags) VALUES (?, '["ghost"]')`,
} as const;

for (const target of SQL_TARGETS) {
  describeSideRowsCopyContract(target, async () => {
    const store = await openSqlHarness(target);
    return {
      store,
      copy: new KnexSideRowsCopy(store.knex),
      async corrupt(listingId, how) {
        await store.knex.raw(CORRUPTIONS[how], [listingId]);
      },
    };
  });
}
