/**
 * Settings and mapping of a physical listings index (`<alias>_v<N>`), the original's design (opensearch-index.md
 * §2–4) with its flaws fixed:
 *
 * - `dynamic: strict` (flaw #2): a field the mapping does not name is refused, never guessed.
 * - Text in three readings (flaw #8): `russian` (built-in: Russian stop words and stemming), `listing_serbian`
 *   (OpenSearch 2.19 has no `serbian` analyzer: lowercase, `serbian_normalization` — Cyrillic to Latin, č ć š ž đ
 *   folded — Serbian stop words, Serbian snowball stemmer) and `listing_plain` (words as written, for typo-tolerant
 *   fuzzy matching). The same analyzers run at query time.
 * - `title.autocomplete`: edge n-grams from 2 to 20 characters at index time only; queries are analysed as plain
 *   lowercase words (`search_analyzer`, flaw #9).
 * - `price` is `scaled_float` (factor 100, so minor units are exact); `source_type`, `stock_status` are keywords
 *   (flaw #4); attributes and images are nested objects (flaw #5); `location` is a `geo_point`.
 * - `index.gc_deletes` is 1 hour instead of 60 s: the version tombstone of a delete outlives worker retries, so an
 *   older document arriving late cannot resurrect a removed listing (flaw #11).
 * - No keyword can refuse a document: Lucene refuses a term (and a doc value) over 32,766 bytes, and one refused
 *   field refuses the whole document, which the worker then dead-letters, so the listing cannot be found at all.
 *   Keywords fed by unbounded columns (attribute keys from `listings.attributes` JSONB, attribute values, image
 *   URLs: TEXT) therefore skip over-long values (`ignore_above`) or keep no term at all (display-only URLs). The
 *   others hold short values by construction (VARCHAR(100) columns, enums, uuid, currency code).
 *
 * Changes here apply to indices created afterwards: `ensureIndex` never alters the serving index, so an existing
 * deployment gets a changed mapping by `listings reindex` (new index, alias swap).
 */

/** Serbian stop words (Latin; `serbian_normalization` runs first, so Cyrillic text meets them in Latin). */
const SERBIAN_STOP_WORDS = [
  'a',
  'ali',
  'da',
  'do',
  'i',
  'ili',
  'iz',
  'je',
  'jer',
  'k',
  'kao',
  'na',
  'ne',
  'o',
  'od',
  'pa',
  'po',
  'pri',
  'sa',
  'se',
  'su',
  'to',
  'u',
  'uz',
  'za',
];

const TEXT_DATE = { type: 'date', format: 'strict_date_optional_time||epoch_millis' } as const;

/** Text indexed as written (`listing_plain`) with a Russian (`.ru`) and a Serbian (`.sr`) reading. */
const ANALYSED_TEXT = {
  type: 'text',
  analyzer: 'listing_plain',
  fields: {
    ru: { type: 'text', analyzer: 'russian' },
    sr: { type: 'text', analyzer: 'listing_serbian' },
  },
} as const;

/**
 * `ignore_above` of keywords that may hold long text: a longer value stays in `_source` and in the analysed
 * `keywords` text, but gets no term (no exact filter, no facet bucket). `ignore_above` counts characters while
 * Lucene's limit is 32,766 bytes; a character is at most 4 bytes in UTF-8, so 8,191 characters always fit
 * (the value Elasticsearch's and OpenSearch's documentation give for this case). The reference (opensearch-index.md)
 * sets `ignore_above` only on `title.keyword` (256), which stays as it was.
 */
export const KEYWORD_IGNORE_ABOVE = 8_191;

const LONG_KEYWORD = { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE } as const;

/** A URL kept for display: in `_source` only, no term and no doc value, so no length limit applies. */
const DISPLAY_URL = { type: 'keyword', index: false, doc_values: false } as const;

export interface IndexSettingsOptions {
  /** `number_of_replicas` once serving (1+ in production, flaw #3); 0 while a rebuild loads. */
  readonly replicas: number;
  /** `refresh_interval` once serving; `-1` (off) while a rebuild loads. */
  readonly refreshInterval: string;
}

export function indexSettings(options: IndexSettingsOptions) {
  return {
    number_of_shards: 1,
    number_of_replicas: options.replicas,
    refresh_interval: options.refreshInterval,
    max_result_window: 10_000,
    gc_deletes: '1h',
    analysis: {
      filter: {
        listing_serbian_stop: { type: 'stop', stopwords: SERBIAN_STOP_WORDS },
        listing_serbian_stemmer: { type: 'snowball', language: 'Serbian' },
        listing_edge_ngram: { type: 'edge_ngram', min_gram: 2, max_gram: 20 },
      },
      analyzer: {
        listing_plain: { type: 'custom', tokenizer: 'standard', filter: ['lowercase'] },
        listing_serbian: {
          type: 'custom',
          tokenizer: 'standard',
          filter: ['lowercase', 'serbian_normalization', 'listing_serbian_stop', 'listing_serbian_stemmer'],
        },
        listing_autocomplete: {
          type: 'custom',
          tokenizer: 'standard',
          filter: ['lowercase', 'asciifolding', 'listing_edge_ngram'],
        },
        listing_autocomplete_search: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] },
      },
    },
  };
}

export const INDEX_MAPPINGS = {
  dynamic: 'strict',
  properties: {
    id: { type: 'long' },
    uuid: { type: 'keyword' },
    version: { type: 'long' },
    title: {
      ...ANALYSED_TEXT,
      fields: {
        ...ANALYSED_TEXT.fields,
        keyword: { type: 'keyword', ignore_above: 256 },
        autocomplete: {
          type: 'text',
          analyzer: 'listing_autocomplete',
          search_analyzer: 'listing_autocomplete_search',
        },
      },
    },
    description: ANALYSED_TEXT,
    /** Tags, attribute keys and values as words (the nested fields hold them for filters and facets). */
    keywords: ANALYSED_TEXT,
    price: { type: 'scaled_float', scaling_factor: 100 },
    currency: { type: 'keyword' },
    category_id: { type: 'long' },
    status: { type: 'keyword' },
    visibility: { type: 'keyword' },
    source_type: { type: 'keyword' },
    user_id: { type: 'long' },
    storefront_id: { type: 'long' },
    quantity: { type: 'integer' },
    sku: { type: 'keyword' },
    stock_status: { type: 'keyword' },
    attributes: { type: 'nested', properties: { key: LONG_KEYWORD, value: LONG_KEYWORD } },
    tags: { type: 'keyword' },
    location: { type: 'geo_point' },
    city: { type: 'keyword' },
    country: { type: 'keyword' },
    images: {
      type: 'nested',
      properties: {
        url: DISPLAY_URL,
        thumbnail_url: DISPLAY_URL,
        // Size name → URL, kept for display only: stored, never indexed, so new sizes need no mapping change.
        thumbnails: { type: 'object', enabled: false },
        is_primary: { type: 'boolean' },
        display_order: { type: 'integer' },
      },
    },
    views_count: { type: 'integer' },
    favorites_count: { type: 'integer' },
    created_at: TEXT_DATE,
    updated_at: TEXT_DATE,
    published_at: TEXT_DATE,
  },
} as const;
