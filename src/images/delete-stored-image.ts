import type { Logger } from '../../ports/logger.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { Principal } from '../../ports/principal.ts';
import type { ListingImage } from '../domain/image.ts';
import type { ChangeListingImages } from './change-listing-images.ts';
import { parseImageKey } from './image-keys.ts';

export interface DeleteStoredImageDeps {
  readonly change: Pick<ChangeListingImages, 'delete'>;
  readonly store: Pick<ObjectStore, 'list' | 'delete'>;
  readonly logger?: Logger;
}

/**
 * DeleteListingImage with its bytes: ChangeListingImages removes the row (and promotes the next primary), then,
 * once that has committed, the image's objects are deleted: its whole folder (original and thumbnails) for an
 * image this service stored, its `storageKey` alone for any other key. Same signature as
 * `ChangeListingImages.delete`, so the composition root can hand this to REST and gRPC in its place.
 *
 * The objects go after the commit, never before: a failed transaction must not leave a row without bytes. A failed
 * object delete is logged, not raised (the image is gone for every reader); `listings images gc` removes the rest.
 */
export class DeleteStoredImage {
  readonly #deps: DeleteStoredImageDeps;

  constructor(deps: DeleteStoredImageDeps) {
    this.#deps = deps;
  }

  async delete(caller: Principal | undefined, input: { readonly imageId: number }): Promise<ListingImage> {
    const image = await this.#deps.change.delete(caller, input);
    if (image.storageKey !== null) await this.#removeObjects(image.storageKey);
    return image;
  }

  async #removeObjects(storageKey: string): Promise<void> {
    const { store, logger } = this.#deps;
    try {
      const parsed = parseImageKey(storageKey);
      const keys = [storageKey];
      if (parsed !== undefined) {
        for await (const object of store.list(parsed.folder, { recursive: true })) {
          if (object.key !== storageKey) keys.push(object.key);
        }
      }
      await store.delete(keys);
    } catch (error) {
      logger?.warn({ storageKey, err: String(error) }, 'could not remove the objects of a deleted image');
    }
  }
}
