import type pg from 'pg';
import type { ImageGroup, ScanRequest, SourceBatch } from '../../../ports/monolith-source.ts';

/**
 * Images are mapped a listing at a time (order and primary depend on the siblings, §3.9), so their scan never
 * splits a listing: first the images whose listing_id is NULL (by id; cursor `n:<id>`), then the rest by
 * (listing, id), each batch ending on a whole listing (cursor `l:<listing id>`).
 */
export async function readImageGroups(
  client: pg.ClientBase,
  table: string,
  columns: string,
  parent: string,
  request: ScanRequest,
): Promise<SourceBatch<ImageGroup<Record<string, unknown>>>> {
  const after = request.after ?? 'n:0';
  if (after.startsWith('n:')) {
    const result = await client.query<Record<string, unknown>>(
      `SELECT ${columns} FROM ${table} WHERE ${parent} IS NULL AND id > $1::bigint ORDER BY id LIMIT $2`,
      [after.slice(2), request.limit],
    );
    const rows = result.rows;
    const next = rows.length < request.limit ? 'l:' : `n:${String(rows.at(-1)?.id)}`;
    return { records: rows.length === 0 ? [] : [{ listingId: null, rows }], next };
  }
  const from = after.slice(2);
  const result = await client.query<Record<string, unknown>>(
    `SELECT ${columns} FROM ${table} WHERE ${parent} IS NOT NULL ${from === '' ? '' : `AND ${parent} > $2::bigint`}
     ORDER BY ${parent}, id LIMIT $1`,
    from === '' ? [request.limit] : [request.limit, from],
  );
  let rows = result.rows;
  const complete = rows.length < request.limit;
  if (!complete) {
    // The last listing may continue past the limit: read it whole.
    const last = rows.at(-1)?.[parent];
    rows = rows.filter((row) => row[parent] !== last);
    const rest = await client.query<Record<string, unknown>>(
      `SELECT ${columns} FROM ${table} WHERE ${parent} = $1 ORDER BY id`,
      [last],
    );
    rows = [...rows, ...rest.rows];
  }
  const records: ImageGroup<Record<string, unknown>>[] = [];
  for (const row of rows) {
    const listingId = Number(row[parent]);
    const group = records.at(-1);
    if (group !== undefined && group.listingId === listingId) (group.rows as Record<string, unknown>[]).push(row);
    else records.push({ listingId, rows: [row] });
  }
  const lastListing = records.at(-1)?.listingId;
  return { records, next: complete || lastListing == null ? null : `l:${lastListing}` };
}
