import { randomBytes } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import type { Knex } from 'knex';
import { buildSearchIndex, type SearchAdapters } from '../../../adapters/composition/search.ts';
import { loadConfig } from '../../../adapters/config/load.ts';
import { createPlainRepositories } from '../../../adapters/sql/sql-repositories.ts';
import { buildSearchDocument } from '../../../src/search/search-document.ts';
import { opensearchUrl } from '../../support/servers.ts';
import { TcpOutage } from '../../support/tcp-outage.ts';
import { recordingLogger } from '../../unit/worker/recording-observer.ts';

/**
 * The composition's search as `listings serve` builds it with OpenSearch configured and the default
 * SEARCH_FALLBACK=postgres, on a database of the caller's: OpenSearch (the real server, reached through a TCP proxy
 * that can go down, under an alias of its own) with PostgreSQL's search table as the fallback.
 */
export class FailoverSearch {
  readonly adapters: SearchAdapters;
  /** `down()` makes OpenSearch unreachable (connections refused), `up()` brings it back on the same port. */
  readonly outage: TcpOutage;
  readonly #knex: Knex;
  readonly #alias: string;

  constructor(adapters: SearchAdapters, outage: TcpOutage, knex: Knex, alias: string) {
    this.adapters = adapters;
    this.outage = outage;
    this.#knex = knex;
    this.#alias = alias;
  }

  /** Writes the listings' current documents into OpenSearch and the fallback table, as the worker does; refreshed. */
  async index(...ids: number[]): Promise<void> {
    const listings = createPlainRepositories(this.#knex).listings;
    for (const id of ids) {
      const listing = await listings.findById(id);
      const document = listing === null ? null : buildSearchDocument(listing);
      if (document === null) throw new Error(`listing ${id} is not searchable`);
      const [result] = await this.adapters.writeIndex.upsert([document]);
      if (result?.status !== 'ok') throw new Error(`indexing ${id}: ${JSON.stringify(result)}`);
    }
    await this.adapters.searchIndex.refresh();
  }

  /** OpenSearch answers again: up, and the reads told so (as the worker's breaker tells them), not waiting for a probe. */
  async recover(): Promise<void> {
    await this.outage.up();
    this.adapters.engineAvailability(true);
  }

  async dispose(): Promise<void> {
    await this.outage.down();
    const admin = new Client({ node: opensearchUrl() });
    try {
      await admin.indices.delete({ index: `${this.#alias}_v*`, ignore_unavailable: true });
    } finally {
      await admin.close();
    }
    await this.adapters.writeIndex.close(); // the read index shares its OpenSearch client
  }
}

export async function openFailoverSearch(knex: Knex, prefix: string): Promise<FailoverSearch> {
  const outage = new TcpOutage(opensearchUrl());
  await outage.up();
  const alias = `${prefix}_${randomBytes(4).toString('hex')}`;
  const { config } = loadConfig({
    version: 'test',
    dotenvPath: false,
    environment: {
      SVETULISTINGS_OPENSEARCH_ADDRESSES: `http://127.0.0.1:${outage.port}`,
      SVETULISTINGS_OPENSEARCH_USERNAME: '',
      SVETULISTINGS_OPENSEARCH_INDEX: alias,
    },
  });
  if (config.search.engine !== 'opensearch' || config.search.fallback !== 'postgres') {
    throw new Error(`expected OpenSearch with the postgres fallback, got ${JSON.stringify(config.search)}`);
  }
  const adapters = buildSearchIndex(config, knex, recordingLogger());
  await adapters.writeIndex.ensureIndex();
  return new FailoverSearch(adapters, outage, knex, alias);
}
