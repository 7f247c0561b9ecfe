/**
 * SQL of a search over a search table (migrations/20261125000010): one statement for the page (keyset or offset)
 * and one for the total and the facets, sharing the same filtered set.
 *
 * - Text: `plainto_tsquery` in Russian, Serbian and simple, OR-ed (every word must match in at least one of the
 *   three readings), or a title close to the text by trigram word similarity (`<%`, pg_trgm's default threshold 0.6:
 *   typo tolerance). Rank: `ts_rank` (title A > description B > keywords C) plus a tenth of the similarity.
 * - Geo: `earth_box` (GIST index) then `earth_distance`, scaled from earthdistance's sphere (`earth()`, 6378.168 km)
 *   to the mean Earth radius OpenSearch uses (6371.0088 km), so both engines agree on distances.
 * - Keyset: `(sort key, listing_id)` compared as a row, both in the sort's direction.
 */

import type { SearchQuery, SearchSort } from '../../ports/search-index.ts';
import type { Keyset } from '../../src/domain/pagination.ts';
import { effectiveSort } from '../../src/search/search-cursor.ts';

export interface SqlFragment {
  readonly sql: string;
  readonly bindings: readonly unknown[];
}

/** Mean Earth radius in metres (IUGG), as OpenSearch's `geo_distance` uses. */
const EARTH_RADIUS_M = 6_371_008.7714;

const RANK = `(ts_rank(s.search_vector, input.q)::float8 + 0.1::float8 * word_similarity(input.raw, s.title)::float8)`;
const DISTANCE = `(earth_distance(input.center, ll_to_earth(s.latitude, s.longitude)) * ${EARTH_RADIUS_M} / earth())`;

interface SortSpec {
  readonly key: string;
  readonly descending: boolean;
  /** The cast of the cursor's sort value. */
  readonly cast: 'float8' | 'timestamptz' | 'bigint';
}

const SORTS: Readonly<Record<SearchSort, SortSpec>> = {
  relevance: { key: RANK, descending: true, cast: 'float8' },
  created_at_desc: { key: 's.created_at', descending: true, cast: 'timestamptz' },
  price_asc: { key: 's.price', descending: false, cast: 'bigint' },
  price_desc: { key: 's.price', descending: true, cast: 'bigint' },
  distance: { key: DISTANCE, descending: false, cast: 'float8' },
};

/** The Serbian configuration the table was built with (`simple` where the server has no `serbian`). */
export interface TextConfigs {
  readonly serbian: 'serbian' | 'simple';
}

/** `FROM … CROSS JOIN (query constants) input WHERE filters`, shared by both statements. */
function matches(table: string, query: SearchQuery, configs: TextConfigs): SqlFragment {
  const constants: string[] = [];
  const bindings: unknown[] = [];
  const where: string[] = ['NOT s.removed'];
  const f = query.filters;
  if (query.text !== '') {
    constants.push(
      `plainto_tsquery('russian', ?) || plainto_tsquery('${configs.serbian}', ?) || plainto_tsquery('simple', ?) AS q`,
      '?::text AS raw',
    );
    bindings.push(query.text, query.text, query.text, query.text);
    where.push('(s.search_vector @@ input.q OR input.raw <% s.title)');
  }
  if (f.geo !== undefined) {
    constants.push('ll_to_earth(?, ?) AS center', `?::float8 * earth() / ${EARTH_RADIUS_M} AS reach`);
    bindings.push(f.geo.lat, f.geo.lon, f.geo.radiusKm * 1000);
  }
  const filterBindings: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    filterBindings.push(...values);
  };
  if (f.categoryIds !== undefined && f.categoryIds.length > 0) add('s.category_id = ANY(?::bigint[])', f.categoryIds);
  if (f.status !== undefined) add('s.status = ?', f.status);
  if (f.price?.min != null) add('s.price >= ?', f.price.min);
  if (f.price?.max != null) add('s.price <= ?', f.price.max);
  if (f.currency !== undefined) add('s.currency = ?', f.currency);
  if (f.storefrontId !== undefined) add('s.storefront_id = ?', f.storefrontId);
  if (f.userId !== undefined) add('s.user_id = ?', f.userId);
  if (f.sourceType !== undefined) add('s.source_type = ?', f.sourceType);
  if (f.attributes !== undefined && f.attributes.length > 0) {
    const wanted: Record<string, string> = {};
    let contradictory = false;
    for (const { key, value } of f.attributes) {
      if (key in wanted && wanted[key] !== value) contradictory = true;
      wanted[key] = value;
    }
    if (contradictory) where.push('false');
    else add('s.attributes @> ?::jsonb', JSON.stringify(wanted));
  }
  if (f.geo !== undefined) {
    where.push(
      's.latitude IS NOT NULL',
      'earth_box(input.center, input.reach) @> ll_to_earth(s.latitude, s.longitude)',
      'earth_distance(input.center, ll_to_earth(s.latitude, s.longitude)) <= input.reach',
    );
  }
  const join = constants.length === 0 ? '' : ` CROSS JOIN (SELECT ${constants.join(', ')}) AS input`;
  return { sql: `FROM ${table} s${join} WHERE ${where.join(' AND ')}`, bindings: [...bindings, ...filterBindings] };
}

/** The page: `listing_id, version, sort_key, score`, one row more than `limit` to tell whether more follow. */
export function pageStatement(
  table: string,
  query: SearchQuery,
  configs: TextConfigs,
  after: Keyset | null,
): SqlFragment {
  const sort = effectiveSort(query);
  const spec = SORTS[sort];
  const from = matches(table, query, configs);
  const score = sort === 'relevance' ? RANK : 'NULL::float8';
  const direction = spec.descending ? 'DESC' : 'ASC';
  const bindings: unknown[] = [...from.bindings];
  let keyset = '';
  if (after !== null) {
    keyset = `WHERE (m.sort_key, m.listing_id) ${spec.descending ? '<' : '>'} (?::${spec.cast}, ?::bigint)`;
    bindings.push(...after);
  }
  bindings.push(query.limit + 1, query.offset ?? 0);
  return {
    sql: `SELECT m.listing_id, m.version, m.sort_key, m.score FROM (
            SELECT s.listing_id, s.version, ${spec.key} AS sort_key, ${score} AS score ${from.sql}
          ) m ${keyset}
          ORDER BY m.sort_key ${direction}, m.listing_id ${direction} LIMIT ? OFFSET ?`,
    bindings,
  };
}

/**
 * Rows `(facet, key, value, count)`: `total` once, then one row per category, currency, source type and
 * (requested key, value) pair. Without facets, only the total.
 */
export function aggregateStatement(
  table: string,
  query: SearchQuery,
  configs: TextConfigs,
  attributeKeys: readonly string[] | null,
): SqlFragment {
  const from = matches(table, query, configs);
  if (attributeKeys === null) {
    const sql = `SELECT 'total' AS facet, NULL AS key, NULL AS value, count(*) AS count ${from.sql}`;
    return { sql, bindings: from.bindings };
  }
  return {
    sql: `WITH m AS (SELECT s.category_id, s.currency, s.source_type, s.attributes ${from.sql})
          SELECT 'total' AS facet, NULL AS key, NULL AS value, count(*) AS count FROM m
          UNION ALL SELECT 'category', NULL, category_id::text, count(*) FROM m GROUP BY category_id
          UNION ALL SELECT 'currency', NULL, currency::text, count(*) FROM m GROUP BY currency
          UNION ALL SELECT 'source_type', NULL, source_type::text, count(*) FROM m GROUP BY source_type
          UNION ALL SELECT 'attribute', a.key, a.value, count(*) FROM m CROSS JOIN LATERAL jsonb_each_text(m.attributes) a
            WHERE a.key = ANY(?::text[]) GROUP BY a.key, a.value`,
    bindings: [...from.bindings, attributeKeys],
  };
}

/** The cursor value of a sort key as the driver returned it (a timestamp becomes ISO text). */
export function cursorValue(value: unknown): string | number {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return Number(value);
  throw new Error(`unexpected sort value ${String(value)}`);
}

/** Whether a decoded cursor's sort value fits the sort (a number, or a timestamp text for `created_at_desc`). */
export function isValidSortValue(query: SearchQuery, value: unknown): boolean {
  if (effectiveSort(query) === 'created_at_desc') {
    return typeof value === 'string' && !Number.isNaN(new Date(value).getTime());
  }
  return typeof value === 'number' && Number.isFinite(value);
}
