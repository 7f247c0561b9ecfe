import { describeImageRepositoryContract } from '../../contracts/image-repository.contract.ts';
import { openSqlHarness, SQL_TARGETS } from './sql-harness.ts';

for (const target of SQL_TARGETS) describeImageRepositoryContract(target, () => openSqlHarness(target));
