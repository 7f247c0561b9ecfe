import { AppError } from '../domain/errors.ts';

/** IMAGE_NOT_FOUND `image not found: <id>` (the original's text; it answered INTERNAL for a missing image). */
export function imageNotFound(imageId: number): AppError {
  return new AppError('IMAGE_NOT_FOUND', `image not found: ${imageId}`, { details: { imageId } });
}
