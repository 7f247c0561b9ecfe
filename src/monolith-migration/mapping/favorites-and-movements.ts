/** Favorites → `c2c_favorites` (§3.11) and `b2c_inventory_movements` → `inventory_movements` (§3.12). */
import { stringifyJson } from './json-text.ts';
import { hashOf, IssueLog, mapRow, naiveUtc, reject, tstzUtc } from './mapping-result.ts';
import type {
  MapB2cFavorite,
  MapC2cFavorite,
  MapInventoryMovement,
  MappingContext,
  MappingResult,
  ParentListing,
  SourceTable,
  TargetFavoriteRow,
  UtcTimestampText,
} from './types.ts';

function parentCheck(parent: ParentListing, what: string): asserts parent is ParentListing & { state: 'migrated' } {
  if (parent.state === 'missing') reject('PARENT_MISSING', `${what} does not exist at the source`);
  if (parent.state === 'rejected') reject('PARENT_REJECTED', `${what} was rejected`);
}

/**
 * Both favorite tables land in c2c_favorites (the shared id space keeps keys apart). The target column is NOT NULL,
 * so a NULL created_at takes the listing's (FAVORITE_CREATED_AT_MISSING).
 */
function mapFavorite(
  sourceTable: SourceTable,
  row: object,
  userId: number,
  listingId: number,
  createdAt: string | null,
  parent: ParentListing,
  ctx: MappingContext,
): MappingResult<TargetFavoriteRow> {
  const log = new IssueLog();
  const key = `${userId}:${listingId}`;
  const identity = {
    sourceTable,
    sourceKey: key,
    targetTable: 'c2c_favorites' as const,
    row,
    hash: hashOf(sourceTable, row, ctx, [parent.state === 'migrated' ? parent.createdAt : parent.state]),
  };
  return mapRow(identity, log, () => {
    parentCheck(parent, `listing ${listingId}`);
    let created = naiveUtc(createdAt, ctx, log, 'created_at');
    if (created === null) {
      log.repair('FAVORITE_CREATED_AT_MISSING', 'created_at', null);
      created = parent.createdAt;
    }
    return { targetKey: key, row: { user_id: userId, listing_id: listingId, created_at: created } };
  });
}

export const mapC2cFavorite: MapC2cFavorite = (row, parent, ctx) =>
  mapFavorite('c2c_favorites', row, row.user_id, row.listing_id, row.created_at, parent, ctx);

export const mapB2cFavorite: MapB2cFavorite = (row, parent, ctx) =>
  mapFavorite('b2c_favorites', row, row.user_id, row.product_id, row.created_at, parent, ctx);

/** `listings.favorites_count` expected from the mapped favorites: rows per listing (§3.11). */
export function favoritesPerListing(rows: Iterable<TargetFavoriteRow>): Map<number, number> {
  const counts = new Map<number, number>();
  for (const row of rows) counts.set(row.listing_id, (counts.get(row.listing_id) ?? 0) + 1);
  return counts;
}

/**
 * Movement id kept; order_id goes to the target's order_id column (as text) and, with the source table and id,
 * into metadata. Quantity 0 breaks the target CHECK: QUANTITY_ZERO.
 */
export const mapInventoryMovement: MapInventoryMovement = (row, parent, ctx) => {
  const log = new IssueLog();
  const identity = {
    sourceTable: 'b2c_inventory_movements',
    sourceKey: String(row.id),
    targetTable: 'inventory_movements',
    row,
    hash: hashOf('b2c_inventory_movements', row, ctx, [parent.state]),
  } as const;
  return mapRow(identity, log, () => {
    parentCheck(parent, `product ${row.storefront_product_id}`);
    if (row.quantity === 0) reject('QUANTITY_ZERO', 'movement quantity is 0');
    return {
      targetKey: String(row.id),
      row: {
        id: row.id,
        listing_id: parent.id,
        variant_id: row.variant_id,
        movement_type: row.type,
        quantity: row.quantity,
        reason: row.reason,
        notes: row.notes,
        user_id: row.user_id,
        order_id: row.order_id === null ? null : String(row.order_id),
        created_at: tstzUtc(row.created_at) as UtcTimestampText,
        metadata: stringifyJson({ source_table: 'b2c_inventory_movements', source_id: row.id, order_id: row.order_id }),
      },
    };
  });
};
