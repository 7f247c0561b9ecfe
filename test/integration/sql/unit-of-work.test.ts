import { describeUnitOfWorkContract } from '../../contracts/unit-of-work.contract.ts';
import { openSqlHarness, SQL_TARGETS } from './sql-harness.ts';

for (const target of SQL_TARGETS) describeUnitOfWorkContract(target, () => openSqlHarness(target));
