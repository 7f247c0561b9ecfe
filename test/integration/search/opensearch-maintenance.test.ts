import { randomBytes } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { afterAll } from 'vitest';
import { OpenSearchIndexMaintenance } from '../../../adapters/opensearch/opensearch-index-maintenance.ts';
import { OpenSearchSearchIndex } from '../../../adapters/opensearch/opensearch-search-index.ts';
import { describeSearchIndexMaintenanceContract } from '../../contracts/search-index-maintenance.contract.ts';
import { opensearchUrl } from '../../support/servers.ts';

// On the real OpenSearch 2.19, under an alias of its own; its indices are deleted after.
const alias = `maintenance_contract_${randomBytes(4).toString('hex')}`;
const admin = new Client({ node: opensearchUrl() });

afterAll(async () => {
  await admin.indices.delete({ index: `${alias}_v*`, ignore_unavailable: true });
  await admin.close();
});

describeSearchIndexMaintenanceContract('OpenSearch', async () => {
  const options = { addresses: [opensearchUrl()], alias, replicas: 0 };
  const index = new OpenSearchSearchIndex(options);
  const maintenance = new OpenSearchIndexMaintenance(options);
  return {
    index,
    maintenance,
    async reset() {
      await admin.indices.delete({ index: `${alias}_v*`, ignore_unavailable: true });
      await index.ensureIndex();
    },
    async dispose() {
      await index.close();
      await maintenance.close();
    },
  };
});
