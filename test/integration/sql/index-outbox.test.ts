import { describeIndexOutboxContract } from '../../contracts/index-outbox.contract.ts';
import { openSqlHarness, SQL_TARGETS } from './sql-harness.ts';

for (const target of SQL_TARGETS) describeIndexOutboxContract(target, () => openSqlHarness(target));
