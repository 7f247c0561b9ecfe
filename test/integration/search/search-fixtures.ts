import type { SearchDocument } from '../../../ports/search-index.ts';
import { asCurrency } from '../../../src/domain/currency.ts';
import { minorUnits } from '../../../src/domain/money.ts';

/** Points of the catalogue (WGS 84). */
export const BELGRADE = { lat: 44.7866, lon: 20.4489 } as const;
const VRACAR = { lat: 44.8125, lon: 20.4612 };
const NOVI_SAD = { lat: 45.2671, lon: 19.8335 };
const MOSCOW = { lat: 55.7558, lon: 37.6173 };

const BASE_TIME = Date.parse('2026-01-01T00:00:00.000Z');

/** A searchable document with every field set; `overrides` replace fields. */
export function searchDocument(id: number, overrides: Partial<SearchDocument> = {}): SearchDocument {
  return {
    id,
    uuid: `00000000-0000-4000-8000-${id.toString().padStart(12, '0')}`,
    version: 1,
    title: `Listing ${id}`,
    description: null,
    price: minorUnits(100_00),
    currency: asCurrency('RSD'),
    categoryId: 1,
    status: 'active',
    visibility: 'public',
    sourceType: 'c2c',
    userId: 1,
    storefrontId: null,
    quantity: 1,
    sku: null,
    stockStatus: 'in_stock',
    attributes: [],
    tags: [],
    location: null,
    city: null,
    country: null,
    images: [
      {
        url: `https://img.example/${id}/1.jpg`,
        thumbnailUrl: `https://img.example/${id}/1-small.webp`,
        thumbnails: {
          small: `https://img.example/${id}/1-small.webp`,
          medium: `https://img.example/${id}/1-medium.webp`,
        },
        isPrimary: true,
        displayOrder: 0,
      },
    ],
    viewCount: 0,
    favoritesCount: 0,
    createdAt: new Date(BASE_TIME + id * 60_000),
    updatedAt: new Date(BASE_TIME + id * 60_000),
    publishedAt: null,
    ...overrides,
  };
}

const price = minorUnits;
const currency = asCurrency;

/**
 * Nine listings in Russian and Serbian (both scripts). Search words were chosen so that only stemming can match
 * them: the Russian word sits in descriptions (typo tolerance looks at titles only), the Serbian query is Cyrillic
 * against Latin text.
 */
export const CATALOGUE: readonly SearchDocument[] = [
  searchDocument(1, {
    title: 'Квартира в центре Москвы',
    description: 'Просторная квартира, три комнаты',
    price: price(15_000_000_00),
    currency: currency('RUB'),
    categoryId: 10,
    location: MOSCOW,
    attributes: [{ key: 'rooms', value: '3' }],
  }),
  searchDocument(2, {
    title: 'Уютная студия',
    description: 'Продаётся уютная квартира у метро',
    price: price(9_000_000_00),
    currency: currency('RUB'),
    categoryId: 10,
    userId: 2,
    attributes: [{ key: 'rooms', value: '1' }],
  }),
  searchDocument(3, {
    title: 'Novi stanovi na Vračaru',
    description: 'Useljivo odmah',
    price: price(250_000_00),
    currency: currency('EUR'),
    categoryId: 10,
    userId: 2,
    location: VRACAR,
    attributes: [{ key: 'rooms', value: '2' }],
  }),
  searchDocument(4, {
    title: 'Kuća sa dvorištem',
    description: 'Porodična kuća blizu centra',
    price: price(180_000_00),
    currency: currency('EUR'),
    categoryId: 11,
    userId: 3,
    location: NOVI_SAD,
  }),
  searchDocument(5, {
    title: 'Bicikl Scott Aspect 930',
    description: 'Malo korišćen, 29" točkovi',
    price: price(45_000_01),
    categoryId: 20,
    userId: 3,
    tags: ['bicikl', 'mtb'],
    location: BELGRADE,
    attributes: [
      { key: 'brand', value: 'scott' },
      { key: 'condition', value: 'used' },
    ],
  }),
  searchDocument(6, {
    title: 'Telefon Samsung Galaxy S21',
    description: 'Nov, u kutiji',
    price: price(60_000_00),
    categoryId: 21,
    userId: 4,
    storefrontId: 7,
    sourceType: 'b2c',
    attributes: [
      { key: 'brand', value: 'samsung' },
      { key: 'condition', value: 'new' },
    ],
  }),
  searchDocument(7, {
    title: 'Telefon Apple iPhone 13',
    description: 'Korišćen godinu dana',
    price: price(450_00),
    currency: currency('EUR'),
    categoryId: 21,
    userId: 4,
    storefrontId: 7,
    sourceType: 'b2c',
    location: { lat: 44.8, lon: 20.47 },
    attributes: [
      { key: 'brand', value: 'apple' },
      { key: 'condition', value: 'used' },
    ],
  }),
  searchDocument(8, {
    title: 'Zimske gume 205/55 R16',
    description: 'Četiri gume, jedna sezona',
    price: price(45_000_01),
    categoryId: 30,
    userId: 5,
  }),
  searchDocument(9, {
    title: 'Telefon Nokia 3310',
    description: 'Pauziran oglas',
    price: price(2_000_00),
    categoryId: 21,
    userId: 5,
    status: 'inactive',
  }),
];

/** Ids of the active documents of {@link CATALOGUE}. */
export const ACTIVE_IDS = [1, 2, 3, 4, 5, 6, 7, 8];

/** `count` documents with the same title words, price and (in pairs) creation time: ties everywhere. */
export function tiedDocuments(count: number, firstId = 101): SearchDocument[] {
  return Array.from({ length: count }, (_, i) =>
    searchDocument(firstId + i, {
      title: 'Polovni frižider Gorenje',
      price: price(12_000_00),
      createdAt: new Date(BASE_TIME + Math.floor(i / 2) * 1000),
      location: { lat: BELGRADE.lat, lon: BELGRADE.lon + (i % 3) * 0.01 },
    }),
  );
}
