import { describeCategoryRepositoryContract } from '../../contracts/category-repository.contract.ts';
import { openSqlHarness, SQL_TARGETS } from './sql-harness.ts';

for (const target of SQL_TARGETS) describeCategoryRepositoryContract(target, () => openSqlHarness(target));
