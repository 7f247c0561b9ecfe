import type { SearchDocument } from '../../ports/search-index.ts';

/**
 * The `_source` of a document (snake_case field names, as the original's index had them). Every mapped key is
 * always present, null when empty. `price` is sent in major units: `scaled_float` stores `round(price × 100)`, so the
 * minor units come back exactly.
 */
export function toSource(document: SearchDocument): Record<string, unknown> {
  return {
    id: document.id,
    uuid: document.uuid,
    version: document.version,
    title: document.title,
    description: document.description,
    keywords: [...document.tags, ...document.attributes.flatMap(({ key, value }) => [key, value])],
    price: document.price / 100,
    currency: document.currency,
    category_id: document.categoryId,
    status: document.status,
    visibility: document.visibility,
    source_type: document.sourceType,
    user_id: document.userId,
    storefront_id: document.storefrontId,
    quantity: document.quantity,
    sku: document.sku,
    stock_status: document.stockStatus,
    attributes: document.attributes.map(({ key, value }) => ({ key, value })),
    tags: [...document.tags],
    location: document.location === null ? null : { lat: document.location.lat, lon: document.location.lon },
    city: document.city,
    country: document.country,
    images: document.images.map((image) => ({
      url: image.url,
      thumbnail_url: image.thumbnailUrl,
      thumbnails: image.thumbnails,
      is_primary: image.isPrimary,
      display_order: image.displayOrder,
    })),
    views_count: document.viewCount,
    favorites_count: document.favoritesCount,
    created_at: document.createdAt.toISOString(),
    updated_at: document.updatedAt.toISOString(),
    published_at: document.publishedAt?.toISOString() ?? null,
  };
}
