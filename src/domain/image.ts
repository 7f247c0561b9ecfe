/**
 * Image metadata (`listing_images`). The bytes live in object storage; this row says where, how big and in which
 * order they are shown.
 *
 * Primary rule: a listing with images has exactly one primary image. The first image added becomes primary; adding
 * one with `is_primary` moves the flag to it; deleting the primary promotes the next image in display order.
 * Display order: primary first, then `display_order`, then id (the original sorted primary first, then id).
 */
import { checkEntityId, checkInt, checkOptionalText, Violations } from './validation.ts';

export const IMAGE_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif'] as const;
export type ImageMimeType = (typeof IMAGE_MIME_TYPES)[number];

/** Default upload ceiling; the composition root may lower or raise it. */
export const DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024;
export const MAX_IMAGES_PER_LISTING = 30;
const MAX_URL_LENGTH = 2048;
const MAX_IMAGE_SIDE = 20_000;

export interface ListingImage {
  readonly id: number;
  readonly listingId: number;
  readonly url: string;
  /** The original's free-form path, kept as given. */
  readonly storagePath: string | null;
  /** The object-storage key this service wrote the bytes under (null for images it only references). */
  readonly storageKey: string | null;
  readonly thumbnailUrl: string | null;
  /** Derivative name → URL (`small`, `medium`, ...). */
  readonly thumbnails: Readonly<Record<string, string>>;
  readonly displayOrder: number;
  readonly isPrimary: boolean;
  readonly width: number | null;
  readonly height: number | null;
  /** Bytes. */
  readonly fileSize: number | null;
  readonly mimeType: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type NewImage = Omit<ListingImage, 'id' | 'createdAt' | 'updatedAt'>;

export interface NewImageInput {
  readonly listingId: number;
  readonly url: string;
  readonly storagePath?: string | null;
  readonly storageKey?: string | null;
  readonly thumbnailUrl?: string | null;
  readonly thumbnails?: Readonly<Record<string, string>>;
  readonly displayOrder?: number;
  readonly isPrimary?: boolean;
  readonly width?: number | null;
  readonly height?: number | null;
  readonly fileSize?: number | null;
  readonly mimeType?: string | null;
}

export function isAllowedImageMimeType(value: string): value is ImageMimeType {
  return (IMAGE_MIME_TYPES as readonly string[]).includes(value.toLowerCase());
}

/** AddListingImage input: `url is required`, sizes positive, mime type one of jpeg/png/webp/avif. */
export function validateNewImage(input: NewImageInput, maxBytes = DEFAULT_MAX_IMAGE_BYTES): NewImage {
  const v = new Violations();
  const listingId = checkEntityId(v, 'listing_id', 'listing', input.listingId);
  const url = typeof input.url === 'string' ? input.url.trim() : '';
  if (url === '') v.add('url', 'required', 'url is required');
  else if (url.length > MAX_URL_LENGTH) v.add('url', 'too_long', `url must not exceed ${MAX_URL_LENGTH} characters`);
  const storagePath = checkOptionalText(v, 'storage_path', input.storagePath, { max: 1024, trim: true });
  const thumbnailUrl = checkOptionalText(v, 'thumbnail_url', input.thumbnailUrl, { max: MAX_URL_LENGTH, trim: true });
  const displayOrder = checkInt(v, 'display_order', input.displayOrder ?? 0);
  const width = input.width == null ? null : checkInt(v, 'width', input.width, { min: 1, max: MAX_IMAGE_SIDE });
  const height = input.height == null ? null : checkInt(v, 'height', input.height, { min: 1, max: MAX_IMAGE_SIDE });
  const fileSize = input.fileSize == null ? null : checkInt(v, 'file_size', input.fileSize, { min: 1, max: maxBytes });
  let mimeType: string | null = null;
  if (input.mimeType != null && input.mimeType !== '') {
    if (isAllowedImageMimeType(input.mimeType)) mimeType = input.mimeType.toLowerCase();
    else v.add('mime_type', 'unknown_value', `mime_type must be one of: ${IMAGE_MIME_TYPES.join(', ')}`);
  }
  v.throwIfAny();
  return {
    listingId: listingId!,
    url,
    storagePath: storagePath ?? null,
    storageKey: input.storageKey ?? null,
    thumbnailUrl: thumbnailUrl ?? null,
    thumbnails: input.thumbnails ?? {},
    displayOrder: displayOrder!,
    isPrimary: input.isPrimary === true,
    width: width ?? null,
    height: height ?? null,
    fileSize: fileSize ?? null,
    mimeType,
  };
}

/** Primary first, then `display_order`, then id. Returns a new array. */
export function sortImages<T extends Pick<ListingImage, 'id' | 'isPrimary' | 'displayOrder'>>(
  images: readonly T[],
): T[] {
  return [...images].sort(
    (a, b) => Number(b.isPrimary) - Number(a.isPrimary) || a.displayOrder - b.displayOrder || a.id - b.id,
  );
}

/** Whether a newly added image becomes the primary one: asked for it, or the listing has none yet. */
export function becomesPrimary(requested: boolean, existing: readonly Pick<ListingImage, 'isPrimary'>[]): boolean {
  return requested || !existing.some((image) => image.isPrimary);
}

/** The image to promote after `deletedId` was removed, or null when the primary is unchanged or none remain. */
export function primaryAfterDelete(
  deleted: Pick<ListingImage, 'id' | 'isPrimary'>,
  remaining: readonly Pick<ListingImage, 'id' | 'isPrimary' | 'displayOrder'>[],
): number | null {
  if (!deleted.isPrimary) return null;
  const others = remaining.filter((image) => image.id !== deleted.id);
  return sortImages(others)[0]?.id ?? null;
}
