import type { ListingImage, NewImage } from '../../src/domain/image.ts';

/** `listing_images` rows ↔ {@link ListingImage}. `file_size` is BIGINT (a number); `thumbnails` is JSONB. */
export interface ImageRow {
  readonly id: number;
  readonly listing_id: number;
  readonly url: string;
  readonly storage_path: string | null;
  readonly storage_key: string | null;
  readonly thumbnail_url: string | null;
  readonly thumbnails: Record<string, string> | null;
  readonly display_order: number;
  readonly is_primary: boolean;
  readonly width: number | null;
  readonly height: number | null;
  readonly file_size: number | null;
  readonly mime_type: string | null;
  readonly created_at: Date;
  readonly updated_at: Date;
}

/** The one order of images everywhere (image.ts `sortImages`): primary first, then display order, then id. */
export const IMAGE_ORDER = 'is_primary DESC, display_order, id';

export function toListingImage(row: ImageRow): ListingImage {
  return {
    id: row.id,
    listingId: row.listing_id,
    url: row.url,
    storagePath: row.storage_path,
    storageKey: row.storage_key,
    thumbnailUrl: row.thumbnail_url,
    thumbnails: row.thumbnails ?? {},
    displayOrder: row.display_order,
    isPrimary: row.is_primary,
    width: row.width,
    height: row.height,
    fileSize: row.file_size,
    mimeType: row.mime_type,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function imageInsertColumns(image: NewImage): Record<string, unknown> {
  return {
    listing_id: image.listingId,
    url: image.url,
    storage_path: image.storagePath,
    storage_key: image.storageKey,
    thumbnail_url: image.thumbnailUrl,
    thumbnails: JSON.stringify(image.thumbnails),
    display_order: image.displayOrder,
    is_primary: image.isPrimary,
    width: image.width,
    height: image.height,
    file_size: image.fileSize,
    mime_type: image.mimeType,
  };
}
