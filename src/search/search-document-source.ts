import type { SearchDocument } from '../../ports/search-index.ts';

/**
 * The serialised form of a search document, one for both engines: OpenSearch indexes it as the document's `_source`
 * and PostgreSQL's search table keeps it in its `document` column, with its SHA-256 as `document_hash`. The indexing
 * worker writes each document to both (mirrored-search-index.ts); with one form, a document is serialised once and
 * the mirror stores and hashes the text OpenSearch gets (the two serialisations took 12-14 ms of the worker's ~105 ms
 * of CPU per 1000 benchmark documents). search-document-reader.ts is the inverse.
 */

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

interface Serialised {
  readonly documents: readonly SearchDocument[];
  readonly texts: readonly (Buffer | null)[];
}

const serialised = new WeakMap<readonly SearchDocument[], Serialised>();

/**
 * `JSON.stringify(toSource(document))` of each document in UTF-8 (null for one that cannot be serialised: an invalid
 * date), computed once per array of documents. The indexing worker hands one array to OpenSearch and to the PostgreSQL
 * mirror (mirrored-search-index.ts): whichever writes first serialises, the other reuses the bytes. Bytes, not
 * strings: the text is Cyrillic (a two-byte string), and each use encoded it again (the bulk body's size and copy, the
 * mirror's hash); now the body copies the bytes and the hash reads them. Keyed by the array, one entry per batch (an
 * entry per document cost about 3 ms per 1000 documents, half of what sharing saves), and checked element by element,
 * so an array changed in between is serialised again. Documents are immutable values (search-document.ts builds
 * them), so the bytes cannot go stale.
 */
export function sourceJsons(documents: readonly SearchDocument[]): readonly (Buffer | null)[] {
  const held = serialised.get(documents);
  if (held !== undefined && sameDocuments(held.documents, documents)) return held.texts;
  const texts = documents.map(sourceJsonOrNull);
  serialised.set(documents, { documents: [...documents], texts });
  return texts;
}

function sameDocuments(a: readonly SearchDocument[], b: readonly SearchDocument[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sourceJsonOrNull(document: SearchDocument): Buffer | null {
  try {
    return Buffer.from(JSON.stringify(toSource(document)), 'utf8');
  } catch {
    return null;
  }
}
