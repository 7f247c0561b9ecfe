/** Domain → proto: field names, units, presence, and what survives the wire (encode → decode). */
import { describe, expect, it } from 'vitest';
import {
  Category,
  CategoryTreeNode,
  Listing,
  Product,
  ProductVariant,
  Storefront,
} from '../../../../adapters/grpc/generated/listings/v1/listings.ts';
import {
  toCategoryMessage,
  toCategoryTreeNodeMessage,
  toStorefrontMessage,
} from '../../../../adapters/grpc/mappers/catalogue-messages.ts';
import { toListingMessage } from '../../../../adapters/grpc/mappers/listing-messages.ts';
import {
  toBulkOperationError,
  toProductMessage,
  toProductStatsMessage,
  toProductVariantMessage,
} from '../../../../adapters/grpc/mappers/product-messages.ts';
import { toRfc3339, toTimestamp } from '../../../../adapters/grpc/mappers/wire-values.ts';
import { buildCategoryTree } from '../../../../src/domain/category.ts';
import { minorUnits } from '../../../../src/domain/money.ts';
import { AT, LATER, sampleCategory, sampleListing, sampleProduct, sampleStorefront, sampleVariant } from './samples.ts';

/** Through the real codec, as a client receives it. */
function overTheWire<T>(codec: { encode(m: T): { finish(): Uint8Array }; decode(b: Uint8Array): T }, message: T): T {
  return codec.decode(codec.encode(message).finish());
}

describe('wire values', () => {
  it('writes RFC 3339 with second precision and Z', () => {
    expect(toRfc3339(AT)).toBe('2025-11-09T12:00:00Z');
    expect(toRfc3339(new Date('2025-01-02T03:04:05.999+02:00'))).toBe('2025-01-02T01:04:05Z');
    expect(toRfc3339(new Date('+010000-01-01T00:00:00.123Z'))).toBe('+010000-01-01T00:00:00Z');
    expect(toRfc3339(new Date('-000001-12-31T23:59:59.500Z'))).toBe('-000001-12-31T23:59:59Z');
  });

  it('writes google.protobuf.Timestamp with whole seconds and non-negative nanos', () => {
    expect(toTimestamp(AT)).toEqual({ seconds: Date.parse('2025-11-09T12:00:00Z') / 1000, nanos: 123_000_000 });
    expect(toTimestamp(new Date(-1))).toEqual({ seconds: -1, nanos: 999_000_000 });
  });
});

describe('Listing', () => {
  it('maps view_count to views_count, minor units to a double, and null to unset', () => {
    const message = overTheWire(Listing, toListingMessage(sampleListing()));
    expect(message).toMatchObject({
      id: 42,
      userId: 7,
      viewsCount: 17,
      favoritesCount: 2,
      price: 10.01,
      quantity: 0,
      status: 'active',
      visibility: 'public',
      createdAt: '2025-11-09T12:00:00Z',
      updatedAt: '2025-11-10T08:30:15Z',
      publishedAt: '2025-11-09T12:00:00Z',
      isDeleted: false,
    });
    expect(message.storefrontId).toBeUndefined();
    expect(message.description).toBeUndefined();
    expect(message.sku).toBeUndefined();
    expect(message.deletedAt).toBeUndefined();
  });

  it('fills images, attributes, tags and location from the side rows (the original never did)', () => {
    const message = overTheWire(Listing, toListingMessage(sampleListing()));
    expect(message.images).toEqual([
      {
        id: 1,
        listingId: 42,
        url: 'https://img/1.jpg',
        storagePath: 'listings/42/1.jpg',
        thumbnailUrl: undefined,
        displayOrder: 0,
        isPrimary: true,
        width: 800,
        height: undefined,
        fileSize: 1000,
        mimeType: 'image/jpeg',
        createdAt: '2025-11-09T12:00:00Z',
        updatedAt: '2025-11-10T08:30:15Z',
      },
    ]);
    expect(message.attributes).toEqual([
      { id: 5, listingId: 42, attributeKey: 'brand', attributeValue: 'Rog', createdAt: '2025-11-09T12:00:00Z' },
      { id: 6, listingId: 42, attributeKey: 'note', attributeValue: '', createdAt: '2025-11-09T12:00:00Z' },
    ]);
    expect(message.tags).toEqual(['bike', 'red']);
    expect(message.location).toMatchObject({ id: 9, listingId: 42, country: 'RS', latitude: 45.25, longitude: 0 });
    expect(message.location?.postalCode).toBeUndefined();
    expect(message.variants).toEqual([]);
  });

  it('sends a B2C row with its storefront, and a bare row (no side rows read) with empty lists', () => {
    const {
      images: _i,
      attributeEntries: _a,
      tags: _t,
      location: _l,
      ...row
    } = sampleListing({
      storefrontId: 9,
      sku: 'SKU-1',
      description: '',
      deletedAt: LATER,
      isDeleted: true,
    });
    const message = overTheWire(Listing, toListingMessage(row));
    expect(message).toMatchObject({ storefrontId: 9, sku: 'SKU-1', description: '', isDeleted: true });
    expect(message.deletedAt).toBe('2025-11-10T08:30:15Z');
    expect(message).toMatchObject({ images: [], attributes: [], tags: [], location: undefined });
  });
});

describe('categories and storefronts', () => {
  it('maps a root category (no parent) and a child', () => {
    expect(overTheWire(Category, toCategoryMessage(sampleCategory()))).toMatchObject({
      id: 3,
      parentId: undefined,
      icon: undefined,
      description: 'Two wheels',
      listingCount: 4,
      sortOrder: 2,
      translations: {},
      createdAt: '2025-11-09T12:00:00Z',
    });
    const child = toCategoryMessage(sampleCategory({ id: 4, parentId: 3, level: 1, customUiComponent: 'BikeForm' }));
    expect(overTheWire(Category, child)).toMatchObject({ parentId: 3, level: 1, customUiComponent: 'BikeForm' });
  });

  it('sends every level of a tree with slug paths', () => {
    const tree = buildCategoryTree(
      [
        sampleCategory({ id: 1, slug: 'electronics', name: 'Electronics' }),
        sampleCategory({ id: 2, slug: 'phones', name: 'Phones', parentId: 1, level: 1 }),
        sampleCategory({ id: 5, slug: 'smartphones', name: 'Smartphones', parentId: 2, level: 2 }),
      ],
      1,
    );
    const message = overTheWire(CategoryTreeNode, toCategoryTreeNodeMessage(tree));
    expect(message.path).toBe('electronics');
    expect(message.childrenCount).toBe(1);
    const grandchild = message.children[0]?.children[0];
    expect(grandchild).toMatchObject({ id: 5, parentId: 2, level: 2, path: 'electronics/phones/smartphones' });
    expect(grandchild?.children).toEqual([]);
  });

  it('maps a storefront', () => {
    const message = overTheWire(Storefront, toStorefrontMessage(sampleStorefront()));
    expect(message).toMatchObject({ id: 9, userId: 7, slug: 'shoe-shop', rating: 4.5, city: 'Novi Sad' });
    expect(message.description).toBeUndefined();
    expect(message.updatedAt).toBe('2025-11-10T08:30:15Z');
  });
});

describe('Product and ProductVariant', () => {
  it('sends Timestamps, the attributes Struct and the variants', () => {
    const message = overTheWire(Product, toProductMessage(sampleProduct()));
    expect(message).toMatchObject({
      id: 50,
      storefrontId: 9,
      name: 'Trail shoes',
      description: '',
      price: 49.99,
      stockQuantity: 12,
      stockStatus: 'in_stock',
      isActive: true,
      viewCount: 100,
      soldCount: 7,
      locationPrivacy: 'approximate',
      showOnMap: false,
      hasVariants: true,
    });
    expect(message.barcode).toBeUndefined();
    expect(message.attributes).toEqual({ color: 'blue', waterproof: true, weight: 0.4, extra: null });
    expect(message.createdAt).toEqual(toTimestamp(AT));
    expect(message.updatedAt).toEqual(toTimestamp(LATER));
    expect(message.variants).toHaveLength(1);
  });

  it('sends an empty attributes object as an empty Struct', () => {
    const message = overTheWire(Product, toProductMessage(sampleProduct({ attributes: {}, variants: [] })));
    expect(message.attributes).toEqual({});
    expect(message.variants).toEqual([]);
  });

  it('leaves a variant price unset (the product price applies) and keeps a cost price of 0', () => {
    const message = overTheWire(ProductVariant, toProductVariantMessage(sampleVariant({ price: null })));
    expect(message.price).toBeUndefined();
    expect(message.compareAtPrice).toBeUndefined();
    expect(message.costPrice).toBe(0);
    expect(message.variantAttributes).toEqual({ size: 'M', fits: true });
    expect(message.dimensions).toBeUndefined();
    expect(message).toMatchObject({ stockQuantity: 0, stockStatus: 'out_of_stock', lowStockThreshold: 5 });
    const withDimensions = toProductVariantMessage(sampleVariant({ dimensions: { width: 10 }, weight: 250.5 }));
    expect(overTheWire(ProductVariant, withDimensions)).toMatchObject({ dimensions: { width: 10 }, weight: 250.5 });
  });

  it('sends exact stats and dotted bulk error codes', () => {
    const stats = toProductStatsMessage({
      totalProducts: 3,
      activeProducts: 2,
      outOfStock: 1,
      lowStock: 0,
      totalValue: 123_456_789_012_345n,
      totalSold: 9,
    });
    expect(stats).toEqual({
      totalProducts: 3,
      activeProducts: 2,
      outOfStock: 1,
      lowStock: 0,
      totalValue: 1_234_567_890_123.45,
      totalSold: 9,
    });
    const error = { index: 2, productId: null, errorCode: 'products.sku_duplicate', errorMessage: 'SKU A taken' };
    expect(toBulkOperationError(error)).toEqual({ ...error, productId: undefined });
    expect(toBulkOperationError({ ...error, productId: 5 }).productId).toBe(5);
  });

  it('sends every price as the nearest double of its decimal', () => {
    for (const [minor, wire] of [
      [1, 0.01],
      [10, 0.1],
      [29, 0.29],
      [999_999_999_999_999, 9_999_999_999_999.99],
    ] as const) {
      expect(toProductMessage(sampleProduct({ price: minorUnits(minor) })).price).toBe(wire);
    }
  });
});
