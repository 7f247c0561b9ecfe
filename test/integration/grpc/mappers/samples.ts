/** Domain objects with every field set, for the mapper tests. */
import type { Category } from '../../../../src/domain/category.ts';
import { asCurrency } from '../../../../src/domain/currency.ts';
import type { ListingDetails } from '../../../../src/domain/listing.ts';
import { minorUnits } from '../../../../src/domain/money.ts';
import type { Product } from '../../../../src/domain/product.ts';
import type { ProductVariant } from '../../../../src/domain/product-variant.ts';
import type { Storefront } from '../../../../src/domain/storefront.ts';

export const AT = new Date('2025-11-09T12:00:00.123Z');
export const LATER = new Date('2025-11-10T08:30:15.999Z');

export function sampleListing(overrides: Partial<ListingDetails> = {}): ListingDetails {
  return {
    id: 42,
    uuid: '6f1c1b7e-7d3c-4b8e-9a53-0d6d1f1b2c3d',
    userId: 7,
    storefrontId: null,
    title: 'Bicycle',
    description: null,
    price: minorUnits(1001),
    currency: asCurrency('RSD'),
    categoryId: 3,
    status: 'active',
    visibility: 'public',
    quantity: 0,
    sku: null,
    barcode: null,
    viewCount: 17,
    favoritesCount: 2,
    soldCount: 0,
    createdAt: AT,
    updatedAt: LATER,
    publishedAt: AT,
    deletedAt: null,
    isDeleted: false,
    sourceType: 'c2c',
    attributes: { color: 'red' },
    stockStatus: null,
    hasIndividualLocation: false,
    individualAddress: null,
    individualLatitude: null,
    individualLongitude: null,
    locationPrivacy: 'exact',
    showOnMap: true,
    hasVariants: false,
    version: 3,
    images: [
      {
        id: 1,
        listingId: 42,
        url: 'https://img/1.jpg',
        storagePath: 'listings/42/1.jpg',
        storageKey: null,
        thumbnailUrl: null,
        thumbnails: {},
        displayOrder: 0,
        isPrimary: true,
        width: 800,
        height: null,
        fileSize: 1000,
        mimeType: 'image/jpeg',
        createdAt: AT,
        updatedAt: LATER,
      },
    ],
    attributeEntries: [
      { id: 5, listingId: 42, key: 'brand', value: 'Rog', createdAt: AT },
      { id: 6, listingId: 42, key: 'note', value: null, createdAt: AT },
    ],
    tags: ['bike', 'red'],
    location: {
      id: 9,
      listingId: 42,
      country: 'RS',
      city: 'Novi Sad',
      postalCode: null,
      addressLine1: null,
      addressLine2: null,
      latitude: 45.25,
      longitude: 0,
      createdAt: AT,
      updatedAt: LATER,
    },
    ...overrides,
  };
}

export function sampleCategory(overrides: Partial<Category> = {}): Category {
  return {
    id: 3,
    name: 'Bicycles',
    slug: 'bicycles',
    parentId: null,
    icon: null,
    description: 'Two wheels',
    isActive: true,
    listingCount: 4,
    sortOrder: 2,
    level: 0,
    translations: {},
    hasCustomUi: false,
    customUiComponent: null,
    createdAt: AT,
    ...overrides,
  };
}

export function sampleVariant(overrides: Partial<ProductVariant> = {}): ProductVariant {
  return {
    id: 11,
    productId: 50,
    sku: 'TS-M',
    barcode: null,
    price: minorUnits(4999),
    compareAtPrice: null,
    costPrice: minorUnits(0),
    stockQuantity: 0,
    stockStatus: 'out_of_stock',
    lowStockThreshold: 5,
    variantAttributes: { size: 'M', fits: true },
    weight: null,
    dimensions: null,
    isActive: true,
    isDefault: true,
    viewCount: 0,
    soldCount: 3,
    createdAt: AT,
    updatedAt: LATER,
    ...overrides,
  };
}

export function sampleProduct(overrides: Partial<Product> = {}): Product {
  return {
    id: 50,
    storefrontId: 9,
    userId: 7,
    name: 'Trail shoes',
    description: '',
    price: minorUnits(4999),
    currency: asCurrency('EUR'),
    categoryId: 10,
    sku: 'TS-1',
    barcode: null,
    stockQuantity: 12,
    stockStatus: 'in_stock',
    isActive: true,
    status: 'active',
    attributes: { color: 'blue', waterproof: true, weight: 0.4, extra: null },
    viewCount: 100,
    soldCount: 7,
    createdAt: AT,
    updatedAt: LATER,
    hasIndividualLocation: true,
    individualAddress: 'Bulevar 1',
    individualLatitude: 45.25,
    individualLongitude: 19.84,
    locationPrivacy: 'approximate',
    showOnMap: false,
    hasVariants: true,
    variants: [sampleVariant()],
    version: 2,
    ...overrides,
  };
}

export function sampleStorefront(overrides: Partial<Storefront> = {}): Storefront {
  return {
    id: 9,
    userId: 7,
    slug: 'shoe-shop',
    name: 'Shoe shop',
    description: null,
    logoUrl: null,
    bannerUrl: null,
    phone: null,
    email: 'shop@example.com',
    website: null,
    address: null,
    city: 'Novi Sad',
    postalCode: null,
    country: 'RS',
    latitude: null,
    longitude: null,
    isActive: true,
    isVerified: false,
    rating: 4.5,
    reviewsCount: 3,
    productsCount: 1,
    salesCount: 0,
    viewsCount: 10,
    followersCount: 0,
    createdAt: AT,
    updatedAt: LATER,
    ...overrides,
  };
}
