/**
 * Images → `listing_images` (§3.9), one listing's images at a time: the order and the primary flag of each image
 * depend on its siblings.
 */
import { hashOf, IssueLog, mapRow, naiveUtc, offsetId, reject, tstzUtc } from './mapping-result.ts';
import type {
  MapB2cProductImages,
  MapC2cImages,
  MappingContext,
  MappingResult,
  ParentListing,
  SourceB2cProductImageRow,
  SourceC2cImageRow,
  SourceTable,
  TargetListingImageRow,
} from './types.ts';

type Compare<T> = (a: T, b: T) => number;

function ascending(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** ASC NULLS LAST. */
function nullsLast<V extends number | string>(a: V | null | undefined, b: V | null | undefined): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  return ascending(a, b);
}

/** `flag DESC NULLS LAST`: true, false, NULL. */
function flaggedFirst(a: boolean | null, b: boolean | null): number {
  const rank = (v: boolean | null) => (v === true ? 0 : v === false ? 1 : 2);
  return rank(a) - rank(b);
}

/** Naive timestamps as PostgreSQL prints them sort correctly as text (fixed-width fields, fraction after). */
const C2C_WITH_ORDER: Compare<SourceC2cImageRow> = (a, b) =>
  nullsLast(a.display_order, b.display_order) ||
  flaggedFirst(a.is_main, b.is_main) ||
  nullsLast(a.created_at, b.created_at) ||
  a.id - b.id;
const C2C_WITHOUT_ORDER: Compare<SourceC2cImageRow> = (a, b) => flaggedFirst(a.is_main, b.is_main) || a.id - b.id;
const B2C_ORDER: Compare<SourceB2cProductImageRow> = (a, b) =>
  flaggedFirst(a.is_default, b.is_default) || a.display_order - b.display_order || a.id - b.id;

interface Sibling<R> {
  readonly row: R;
  readonly log: IssueLog;
  readonly url: string | null;
}

interface ImageSide<R> {
  readonly sourceTable: SourceTable;
  readonly order: (rows: readonly R[]) => Compare<R>;
  readonly flagged: (row: R) => boolean;
  readonly rawOrder: (row: R) => number | null | undefined;
  readonly url: (row: R, log: IssueLog) => string | null;
  readonly build: (
    row: R,
    placement: Placement,
    parent: ParentListing & { state: 'migrated' },
    log: IssueLog,
  ) => {
    readonly row: TargetListingImageRow;
    readonly extras: Record<string, unknown>;
  };
}

interface Placement {
  readonly displayOrder: number;
  readonly isPrimary: boolean;
}

/**
 * Shared by both sides: parent check, url rule, order, dense renumbering from 0 and exactly one primary.
 * Rejected images take no position.
 */
function mapImages<R extends { readonly id: number }>(
  side: ImageSide<R>,
  rows: readonly R[],
  parent: ParentListing,
  ctx: MappingContext,
): MappingResult<TargetListingImageRow>[] {
  const siblings: Sibling<R>[] = rows.map((row) => {
    const log = new IssueLog();
    return { row, log, url: parent.state === 'migrated' ? side.url(row, log) : null };
  });
  const order = side.order(rows);
  const placed = siblings.filter((s) => s.url !== null).sort((a, b) => order(a.row, b.row));
  const placements = new Map<R, Placement>();
  const primary = placed.find((s) => side.flagged(s.row)) ?? placed[0];
  placed.forEach((sibling, index) => {
    const isPrimary = sibling === primary;
    placements.set(sibling.row, { displayOrder: index, isPrimary });
    if (isPrimary && !side.flagged(sibling.row)) sibling.log.repair('PRIMARY_IMAGE_ASSIGNED', 'is_primary', false);
    if (!isPrimary && side.flagged(sibling.row)) sibling.log.repair('EXTRA_PRIMARY_CLEARED', 'is_primary', true);
  });
  const rawOrders = placed.map((s) => side.rawOrder(s.row));
  const first = placed[0];
  if (first !== undefined && rawOrders.some((raw, index) => raw !== undefined && raw !== index)) {
    first.log.repair('IMAGE_ORDER_RENUMBERED', 'display_order', rawOrders.map((r) => r ?? 'NULL').join(','));
  }

  return siblings.map(({ row, log }) => {
    const placement = placements.get(row);
    const identity = {
      sourceTable: side.sourceTable,
      sourceKey: String(row.id),
      targetTable: 'listing_images' as const,
      row,
      hash: hashOf(side.sourceTable, row, ctx, [
        parent.state === 'migrated' ? parent.createdAt : parent.state,
        placement === undefined ? '' : `${placement.displayOrder}:${placement.isPrimary}`,
      ]),
    };
    return mapRow(identity, log, () => {
      if (parent.state === 'missing') reject('PARENT_MISSING', 'the listing of this image does not exist');
      if (parent.state === 'rejected') reject('PARENT_REJECTED', `listing ${parent.id} was rejected`);
      if (placement === undefined) reject('IMAGE_LOCATION_MISSING', 'neither a url nor a file path');
      const built = side.build(row, placement, parent, log);
      return { targetKey: String(built.row.id), row: built.row, extras: built.extras };
    });
  });
}

function nonEmpty(text: string | null): text is string {
  return text !== null && text !== '';
}

function c2cSide(ctx: MappingContext): ImageSide<SourceC2cImageRow> {
  return {
    sourceTable: 'c2c_images',
    // The 2025-11-09 column exists when the reader selected it (an absent property means the older shape).
    order: (rows) => (rows.some((r) => r.display_order !== undefined) ? C2C_WITH_ORDER : C2C_WITHOUT_ORDER),
    flagged: (row) => row.is_main === true,
    rawOrder: (row) => row.display_order,
    url: (row, log) => {
      if (nonEmpty(row.public_url)) return row.public_url;
      if (!nonEmpty(row.file_path)) return null;
      log.repair('IMAGE_URL_FROM_PATH', 'url', row.public_url);
      return row.file_path;
    },
    build: (row, placement, parent, log) => {
      let createdAt = naiveUtc(row.created_at, ctx, log, 'created_at');
      if (createdAt === null) {
        log.repair('CREATED_AT_MISSING', 'created_at', null);
        createdAt = parent.createdAt;
      }
      return {
        row: {
          id: row.id,
          listing_id: parent.id,
          url: nonEmpty(row.public_url) ? row.public_url : row.file_path,
          storage_path: row.file_path,
          thumbnail_url: null,
          display_order: placement.displayOrder,
          is_primary: placement.isPrimary,
          width: null,
          height: null,
          file_size: row.file_size,
          mime_type: row.content_type,
          created_at: createdAt,
          updated_at: createdAt,
        },
        extras: {
          file_name: row.file_name,
          storage_type: row.storage_type,
          storage_bucket: row.storage_bucket,
          display_order: row.display_order,
          is_main: row.is_main,
        },
      };
    },
  };
}

const B2C_SIDE: ImageSide<SourceB2cProductImageRow> = {
  sourceTable: 'b2c_product_images',
  order: () => B2C_ORDER,
  flagged: (row) => row.is_default,
  rawOrder: (row) => row.display_order,
  url: (row) => (nonEmpty(row.image_url) ? row.image_url : null),
  build: (row, placement, parent) => {
    const createdAt = tstzUtc(row.created_at) as string;
    return {
      row: {
        id: offsetId('b2c_product_images', row.id),
        listing_id: parent.id,
        url: row.image_url,
        storage_path: null,
        thumbnail_url: row.thumbnail_url,
        display_order: placement.displayOrder,
        is_primary: placement.isPrimary,
        width: null,
        height: null,
        file_size: null,
        mime_type: null,
        created_at: createdAt,
        updated_at: createdAt,
      },
      extras: { display_order: row.display_order, is_default: row.is_default },
    };
  },
};

/** All c2c_images of one listing (or the orphans of one missing listing id). */
export const mapC2cImages: MapC2cImages = (rows, parent, ctx) => mapImages(c2cSide(ctx), rows, parent, ctx);

/** All b2c_product_images of one product; target ids are source ids + the secondary offset. */
export const mapB2cProductImages: MapB2cProductImages = (rows, parent, ctx) => mapImages(B2C_SIDE, rows, parent, ctx);
