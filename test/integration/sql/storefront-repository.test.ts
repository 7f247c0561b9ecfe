import { describeStorefrontRepositoryContract } from '../../contracts/storefront-repository.contract.ts';
import { openSqlHarness, SQL_TARGETS } from './sql-harness.ts';

for (const target of SQL_TARGETS) describeStorefrontRepositoryContract(target, () => openSqlHarness(target));
