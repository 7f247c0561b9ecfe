/**
 * Where an uploaded image's objects live in the object store. Every key is made here, from the listing id and a
 * fresh UUID, never from anything the client sent (its file name could be `../../x` or collide with another's):
 *
 *   listings/<listingId>/<uuid>/original.<jpg|png|webp|avif>
 *   listings/<listingId>/<uuid>/<derivative>.webp            (small.webp, medium.webp)
 *
 * One folder per image, so deleting an image removes its folder and the orphan collector can judge a folder as
 * a whole: its objects are kept while some `listing_images.storage_key` points into it.
 */
export const IMAGE_KEY_PREFIX = 'listings/';

const IMAGE_KEY =
  /^listings\/([1-9][0-9]{0,15})\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/[^/]+$/;

/** `listings/<listingId>/<uuid>/`, the folder of one image. */
export function imageFolder(listingId: number, uuid: string): string {
  return `${IMAGE_KEY_PREFIX}${listingId}/${uuid}/`;
}

export function originalKey(folder: string, extension: string): string {
  return `${folder}original.${extension}`;
}

export function derivativeKey(folder: string, name: string, extension: string): string {
  return `${folder}${name}.${extension}`;
}

export interface ParsedImageKey {
  readonly listingId: number;
  /** `listings/<listingId>/<uuid>/`. */
  readonly folder: string;
}

/** The listing and folder of a key of this layout; undefined for any other key (left alone by the collector). */
export function parseImageKey(key: string): ParsedImageKey | undefined {
  const match = IMAGE_KEY.exec(key);
  if (match === null) return undefined;
  const listingId = Number(match[1]);
  if (!Number.isSafeInteger(listingId)) return undefined;
  return { listingId, folder: `${IMAGE_KEY_PREFIX}${match[1]}/${match[2]}/` };
}
