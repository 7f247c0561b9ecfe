import type { Knex } from 'knex';
import type { ImageRepository } from '../../ports/image-repository.ts';
import { AppError } from '../../src/domain/errors.ts';
import type { ListingImage, NewImage } from '../../src/domain/image.ts';
import { IMAGE_ORDER, type ImageRow, imageInsertColumns, toListingImage } from './image-rows.ts';
import type { SqlSession } from './sql-session.ts';

/**
 * ImageRepository on knex. Writes that touch `is_primary` first lock the listing row (`FOR NO KEY UPDATE`, which
 * does not block counter updates' foreign-key checks), so two concurrent "make this one primary" writes queue and
 * the listing never ends with two primaries (the schema has no unique index for it).
 */
export class KnexImageRepository implements ImageRepository {
  readonly #session: SqlSession;

  constructor(session: SqlSession) {
    this.#session = session;
  }

  findById(imageId: number): Promise<ListingImage | null> {
    return this.#session.query(async (db) => {
      const row = (await db('listing_images').where({ id: imageId }).first()) as ImageRow | undefined;
      return row === undefined ? null : toListingImage(row);
    });
  }

  listByListing(listingId: number): Promise<ListingImage[]> {
    return this.#session.query(async (db) => {
      const rows = (await db('listing_images').where({ listing_id: listingId }).orderByRaw(IMAGE_ORDER)) as ImageRow[];
      return rows.map(toListingImage);
    });
  }

  count(listingId: number): Promise<number> {
    return this.#session.query(async (db) => {
      const [row] = (await db('listing_images').where({ listing_id: listingId }).count({ total: '*' })) as {
        total: number | string;
      }[];
      return Number(row?.total ?? 0);
    });
  }

  insert(image: NewImage): Promise<ListingImage> {
    return this.#session.atomic(async (db) => {
      if (!(await lockListing(db, image.listingId, { liveOnly: true }))) {
        throw new AppError('LISTING_NOT_FOUND', 'listing not found', { details: { listingId: image.listingId } });
      }
      if (image.isPrimary) {
        await db('listing_images')
          .where({ listing_id: image.listingId, is_primary: true })
          .update({ is_primary: false });
      }
      const [row] = (await db('listing_images').insert(imageInsertColumns(image)).returning('*')) as ImageRow[];
      return toListingImage(row as ImageRow);
    });
  }

  delete(imageId: number): Promise<ListingImage | null> {
    return this.#session.query(async (db) => {
      const [row] = (await db('listing_images').where({ id: imageId }).delete().returning('*')) as ImageRow[];
      return row === undefined ? null : toListingImage(row);
    });
  }

  reorder(listingId: number, orderedIds: readonly number[]): Promise<void> {
    return this.#session.atomic(async (db) => {
      if (orderedIds.length === 0) return;
      // One statement: each id's position comes from its ordinality in the array.
      await db.raw(
        `UPDATE listing_images AS image SET display_order = wanted.position - 1
         FROM unnest(?::bigint[]) WITH ORDINALITY AS wanted(id, position)
         WHERE image.id = wanted.id AND image.listing_id = ?`,
        [orderedIds as number[], listingId],
      );
    });
  }

  setPrimary(listingId: number, imageId: number | null): Promise<void> {
    return this.#session.atomic(async (db) => {
      await lockListing(db, listingId, { liveOnly: false });
      if (imageId !== null) {
        const image = await db('listing_images').where({ id: imageId, listing_id: listingId }).first('id');
        if (image === undefined) {
          throw new AppError('IMAGE_NOT_FOUND', 'image not found', { details: { imageId, listingId } });
        }
      }
      await db('listing_images')
        .where({ listing_id: listingId })
        .andWhere((where) => {
          where.where({ is_primary: true });
          if (imageId !== null) where.orWhere({ id: imageId });
        })
        .update({ is_primary: imageId === null ? false : db.raw('id = ?', [imageId]) });
    });
  }
}

/** Locks the listing row for the primary-image rule; false when there is no such (live) row. */
async function lockListing(db: Knex, listingId: number, options: { readonly liveOnly: boolean }): Promise<boolean> {
  const query = db('listings').where({ id: listingId });
  if (options.liveOnly) query.where({ is_deleted: false });
  const row = await query.forNoKeyUpdate().first('id');
  return row !== undefined;
}
