import { describeFavoriteRepositoryContract } from '../../contracts/favorite-repository.contract.ts';
import { openSqlHarness, SQL_TARGETS } from './sql-harness.ts';

for (const target of SQL_TARGETS) describeFavoriteRepositoryContract(target, () => openSqlHarness(target));
