import type pg from 'pg';
import type { DeleteRule } from '../../../ports/monolith-target.ts';
import { OWNED_CHILDREN, TARGET_TABLES } from './target-tables.ts';

/** An id_map entry whose target rows go away. */
export interface OwnedEntry {
  readonly source_key: string;
  readonly target_table: string;
  readonly target_id: string;
}

/** `"<a>:<b>"` → [a, b], split at the first colon (attribute keys may hold colons; ids never do). */
function pair(text: string): [string, string] {
  const at = text.indexOf(':');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

/**
 * Removes the target rows of `entries` by `rule` inside the caller's transaction and marks the entries deleted.
 * Returns the listings whose search document changes (soft-deleted listings, parents of deleted children).
 */
export async function removeOwned(
  client: pg.ClientBase,
  runId: string,
  sourceTable: string,
  rule: DeleteRule,
  entries: readonly OwnedEntry[],
): Promise<number[]> {
  if (entries.length === 0) return [];
  const listings = new Set<number>();
  if (rule === 'soft-delete-listing') {
    const ids = entries.map((e) => e.target_id);
    const updated = await client.query<{ id: string }>(
      `UPDATE listings SET is_deleted = true, deleted_at = now()
       WHERE id = ANY($1::bigint[]) AND NOT is_deleted RETURNING id::text AS id`,
      [ids],
    );
    for (const row of updated.rows) listings.add(Number(row.id));
    for (const child of OWNED_CHILDREN) {
      await client.query(`DELETE FROM ${child.table} WHERE ${child.listingColumn} = ANY($1::bigint[])`, [ids]);
    }
  } else if (rule === 'hard-delete') {
    const byTable = new Map<string, string[]>();
    for (const entry of entries)
      byTable.set(entry.target_table, [...(byTable.get(entry.target_table) ?? []), entry.target_id]);
    for (const [table, keys] of byTable) {
      for (const id of await hardDelete(client, table, keys)) listings.add(id);
    }
  }
  await client.query(
    `UPDATE monolith_migration.id_map SET deleted_at = now(), last_run_id = $1
     WHERE source_table = $2 AND source_key = ANY($3::text[])`,
    [runId, sourceTable, entries.map((e) => e.source_key)],
  );
  return [...listings];
}

async function hardDelete(client: pg.ClientBase, table: string, keys: readonly string[]): Promise<number[]> {
  const spec = TARGET_TABLES[table as keyof typeof TARGET_TABLES];
  if (spec === undefined || spec.listingColumn === undefined) return [];
  const listing = spec.listingColumn;
  let result: pg.QueryResult<{ listing_id: string }>;
  if (table === 'c2c_favorites') {
    const pairs = keys.map(pair);
    result = await client.query(
      `DELETE FROM c2c_favorites f USING unnest($1::int[], $2::int[]) AS k(user_id, listing_id)
       WHERE f.user_id = k.user_id AND f.listing_id = k.listing_id RETURNING f.listing_id::text AS listing_id`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
  } else if (table === 'listing_attributes') {
    const pairs = keys.map(pair);
    result = await client.query(
      `DELETE FROM listing_attributes a USING unnest($1::bigint[], $2::text[]) AS k(listing_id, attribute_key)
       WHERE a.listing_id = k.listing_id AND a.attribute_key = k.attribute_key
       RETURNING a.listing_id::text AS listing_id`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
  } else if (table === 'listing_locations') {
    result = await client.query(
      'DELETE FROM listing_locations WHERE listing_id = ANY($1::bigint[]) RETURNING listing_id::text AS listing_id',
      [keys],
    );
  } else {
    result = await client.query(
      `DELETE FROM ${spec.table} WHERE id = ANY($1::bigint[]) RETURNING ${listing}::text AS listing_id`,
      [keys],
    );
  }
  return result.rows.map((row) => Number(row.listing_id));
}
