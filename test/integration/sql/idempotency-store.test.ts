import { describeIdempotencyStoreContract } from '../../contracts/idempotency-store.contract.ts';
import { openSqlHarness, SQL_TARGETS } from './sql-harness.ts';

for (const target of SQL_TARGETS) describeIdempotencyStoreContract(target, () => openSqlHarness(target));
