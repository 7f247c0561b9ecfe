import type { SearchDocument } from '../../ports/search-index.ts';
import type { CurrencyCode } from '../domain/currency.ts';
import type { ListingStatus, SourceType, Visibility } from '../domain/listing-status.ts';
import type { MinorUnits } from '../domain/money.ts';

/** A stored `_source` (or pgsearch `document`) as search-document-source.ts `toSource` wrote it. */
interface Source {
  readonly id: number;
  readonly uuid: string;
  readonly version: number;
  readonly title: string;
  readonly description: string | null;
  readonly price: number;
  readonly currency: string;
  readonly category_id: number;
  readonly status: string;
  readonly visibility: string;
  readonly source_type: string;
  readonly user_id: number;
  readonly storefront_id: number | null;
  readonly quantity: number;
  readonly sku: string | null;
  readonly stock_status: string | null;
  readonly attributes?: readonly { key: string; value: string }[];
  readonly tags?: readonly string[];
  readonly location: { lat: number; lon: number } | null;
  readonly city: string | null;
  readonly country: string | null;
  readonly images?: readonly {
    url: string;
    thumbnail_url: string | null;
    thumbnails?: Record<string, string>;
    is_primary: boolean;
    display_order: number;
  }[];
  readonly views_count: number;
  readonly favorites_count: number;
  readonly created_at: string;
  readonly updated_at: string;
  readonly published_at: string | null;
}

/**
 * The inverse of `toSource`: the document a stored `_source` was written from, or null when the source is not in
 * that shape (written by another tool, or by hand). `price` was sent in major units; `round(price × 100)` gives
 * the minor units back exactly (scaled_float keeps the source as sent).
 */
export function fromSource(raw: unknown): SearchDocument | null {
  if (raw === null || typeof raw !== 'object') return null;
  const source = raw as Source;
  const date = (text: string | null | undefined): Date | null => {
    if (text == null) return null;
    const parsed = new Date(text);
    if (Number.isNaN(parsed.getTime())) throw new Error(`not a date: ${text}`);
    return parsed;
  };
  try {
    const createdAt = date(source.created_at);
    const updatedAt = date(source.updated_at);
    if (createdAt === null || updatedAt === null || typeof source.price !== 'number') return null;
    if (typeof source.id !== 'number' || typeof source.version !== 'number') return null;
    return {
      id: source.id,
      uuid: source.uuid,
      version: source.version,
      title: source.title,
      description: source.description ?? null,
      price: Math.round(source.price * 100) as MinorUnits,
      currency: source.currency as CurrencyCode,
      categoryId: source.category_id,
      status: source.status as ListingStatus,
      visibility: source.visibility as Visibility,
      sourceType: source.source_type as SourceType,
      userId: source.user_id,
      storefrontId: source.storefront_id ?? null,
      quantity: source.quantity,
      sku: source.sku ?? null,
      stockStatus: source.stock_status ?? null,
      attributes: (source.attributes ?? []).map(({ key, value }) => ({ key, value })),
      tags: [...(source.tags ?? [])],
      location: source.location == null ? null : { lat: source.location.lat, lon: source.location.lon },
      city: source.city ?? null,
      country: source.country ?? null,
      images: (source.images ?? []).map((image) => ({
        url: image.url,
        thumbnailUrl: image.thumbnail_url ?? null,
        thumbnails: image.thumbnails ?? {},
        isPrimary: image.is_primary,
        displayOrder: image.display_order,
      })),
      viewCount: source.views_count,
      favoritesCount: source.favorites_count,
      createdAt,
      updatedAt,
      publishedAt: date(source.published_at),
    };
  } catch {
    return null;
  }
}
