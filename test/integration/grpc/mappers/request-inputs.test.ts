/** Proto → use-case inputs: presence survives the wire, money goes through the domain's parser. */
import { describe, expect, it } from 'vitest';
import {
  BatchUpdateStockRequest,
  CreateListingRequest,
  CreateProductRequest,
  CreateProductVariantRequest,
  DecrementStockRequest,
  ListListingsRequest,
  ListStorefrontsRequest,
  UpdateListingRequest,
  UpdateProductRequest,
  UpdateProductVariantRequest,
} from '../../../../adapters/grpc/generated/listings/v1/listings.ts';
import { toStorefrontListInput } from '../../../../adapters/grpc/mappers/catalogue-messages.ts';
import {
  toCreateListingInput,
  toListListingsInput,
  toUpdateListingInput,
} from '../../../../adapters/grpc/mappers/listing-requests.ts';
import {
  toCreateProductInput,
  toCreateProductVariantInput,
  toUpdateProductInput,
  toUpdateProductVariantInput,
} from '../../../../adapters/grpc/mappers/product-requests.ts';
import {
  toBatchUpdateStockInput,
  toStockItemInputs,
  toStockOperationMessage,
} from '../../../../adapters/grpc/mappers/stock-mappers.ts';
import { AppError } from '../../../../src/domain/errors.ts';
import { validateCreateListing } from '../../../../src/domain/listing.ts';
import { parseListingPatch } from '../../../../src/domain/listing-changes.ts';
import { validateCreateProduct } from '../../../../src/domain/product.ts';
import { parseProductPatch } from '../../../../src/domain/product-changes.ts';
import { validateVariantInput } from '../../../../src/domain/product-variant.ts';

interface Codec<T> {
  fromPartial(object: object): T;
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
}

/** A request as the server decodes it from a client that set only `fields`. */
function received<T>(codec: Codec<T>, fields: object): T {
  return codec.decode(codec.encode(codec.fromPartial(fields)).finish());
}

function violationsOf(work: () => unknown) {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).violations;
  }
  throw new Error('expected a validation error');
}

const CONTEXT = { uuid: '00000000-0000-4000-8000-000000000000', now: new Date() };
const VALID_LISTING = { userId: 7, title: 'Bike', price: 10.5, currency: 'RSD', categoryId: 3, quantity: 1 };

describe('listing requests', () => {
  it('keeps an unset storefront_id unset and a present 0 as 0', () => {
    expect(toCreateListingInput(received(CreateListingRequest, VALID_LISTING)).storefrontId).toBeUndefined();
    const zero = toCreateListingInput(received(CreateListingRequest, { ...VALID_LISTING, storefrontId: 0 }));
    expect(zero.storefrontId).toBe(0);
    const violations = violationsOf(() => validateCreateListing(zero, CONTEXT));
    expect(violations).toContainEqual(expect.objectContaining({ field: 'storefront_id' }));
  });

  it('rejects 10.001 through the domain money parser, and accepts 10.01 as 1001 minor units', () => {
    const input = toCreateListingInput(received(CreateListingRequest, { ...VALID_LISTING, price: 10.001 }));
    expect(violationsOf(() => validateCreateListing(input, CONTEXT))).toEqual([
      { field: 'price', reason: 'too_many_decimals', message: 'price must have at most 2 decimal places' },
    ]);
    const ok = toCreateListingInput(received(CreateListingRequest, { ...VALID_LISTING, price: 10.01 }));
    expect(validateCreateListing(ok, CONTEXT).price).toBe(1001);
  });

  it('passes only the present fields of UpdateListing; quantity 0 is a value', () => {
    const input = toUpdateListingInput(received(UpdateListingRequest, { id: 5, quantity: 0 }));
    expect(input).toEqual({
      id: 5,
      userId: 0,
      title: undefined,
      description: undefined,
      price: undefined,
      quantity: 0,
      status: undefined,
    });
    const { id: _id, userId: _userId, ...patch } = input;
    expect(parseListingPatch(patch)).toEqual({ quantity: 0 });
    const { id: _i, userId: _u, ...empty } = toUpdateListingInput(received(UpdateListingRequest, { id: 5 }));
    expect(violationsOf(() => parseListingPatch(empty))[0]?.message).toBe(
      'at least one field must be provided for update',
    );
    const {
      id: _c,
      userId: _d,
      ...cents
    } = toUpdateListingInput(received(UpdateListingRequest, { id: 5, price: 0.001 }));
    expect(violationsOf(() => parseListingPatch(cents))[0]).toMatchObject({ field: 'price' });
  });

  it('keeps ListListings filters unset unless sent', () => {
    expect(toListListingsInput(received(ListListingsRequest, { limit: 10 }))).toEqual({
      userId: undefined,
      storefrontId: undefined,
      categoryId: undefined,
      status: undefined,
      minPrice: undefined,
      maxPrice: undefined,
      limit: 10,
      offset: 0,
    });
    const bounded = toListListingsInput(received(ListListingsRequest, { limit: 10, minPrice: 0, userId: 7 }));
    expect(bounded).toMatchObject({ minPrice: 0, userId: 7, maxPrice: undefined });
  });

  it('keeps ListStorefronts filters unset unless sent; false is a value', () => {
    const input = toStorefrontListInput(received(ListStorefrontsRequest, { isActive: false, limit: 5 }));
    expect(input).toMatchObject({ isActive: false, isVerified: undefined, userId: undefined, limit: 5 });
  });
});

describe('product requests', () => {
  const product = { storefrontId: 9, name: 'Trail shoes', price: 49.99, currency: 'EUR', categoryId: 10 };
  const context = { storefrontId: 9, ownerUserId: 7, ...CONTEXT };

  it('passes the attributes Struct as a JSON object, and leaves unset attributes undefined', () => {
    const attributes = { color: 'red', size: 42, waterproof: true, none: null };
    const input = toCreateProductInput(received(CreateProductRequest, { ...product, attributes }));
    expect(input.attributes).toEqual(attributes);
    expect(validateCreateProduct(input, context).attributes).toEqual(attributes);
    expect(toCreateProductInput(received(CreateProductRequest, product)).attributes).toBeUndefined();
  });

  it('honours is_active, has_variants and barcode, and rejects 10.001', () => {
    const input = toCreateProductInput(
      received(CreateProductRequest, { ...product, isActive: false, hasVariants: true, barcode: '4006381333931' }),
    );
    expect(validateCreateProduct(input, context)).toMatchObject({
      status: 'draft',
      hasVariants: true,
      barcode: '4006381333931',
    });
    const cents = toCreateProductInput(received(CreateProductRequest, { ...product, price: 10.001 }));
    expect(violationsOf(() => validateCreateProduct(cents, context))).toEqual([
      { field: 'price', reason: 'too_many_decimals', message: 'price must have at most 2 decimal places' },
    ]);
  });

  it('passes UpdateProduct presence and the mask as sent', () => {
    const input = toUpdateProductInput(
      received(UpdateProductRequest, {
        productId: 50,
        storefrontId: 9,
        isActive: false,
        showOnMap: false,
        updateMask: ['is_active'],
      }),
    );
    expect(input).toMatchObject({ productId: 50, storefrontId: 9, isActive: false, showOnMap: false });
    expect(input.updateMask).toEqual(['is_active']);
    expect(input.name).toBeUndefined();
    expect(input.attributes).toBeUndefined();
    expect(parseProductPatch({ price: input.price, isActive: input.isActive })).toEqual({ status: 'inactive' });
  });

  it('keeps variant prices unset unless sent and stock 0 as a value', () => {
    const input = toCreateProductVariantInput(received(CreateProductVariantRequest, { productId: 50, costPrice: 0 }));
    expect(input).toMatchObject({ productId: 50, stockQuantity: 0, costPrice: 0, price: undefined });
    expect(validateVariantInput(50, input)).toMatchObject({ price: null, costPrice: 0, stockStatus: 'out_of_stock' });
    const update = toUpdateProductVariantInput(
      received(UpdateProductVariantRequest, { variantId: 11, productId: 50, stockQuantity: 0, isActive: false }),
    );
    expect(update).toMatchObject({ stockQuantity: 0, isActive: false, price: undefined, isDefault: undefined });
  });
});

describe('stock requests and results', () => {
  it('keeps an unset variant_id unset and a present one', () => {
    const request = received(DecrementStockRequest, {
      items: [
        { productId: 1, quantity: 2 },
        { productId: 1, variantId: 4, quantity: 1 },
      ],
    });
    expect(toStockItemInputs(request.items)).toEqual([
      { productId: 1, variantId: undefined, quantity: 2 },
      { productId: 1, variantId: 4, quantity: 1 },
    ]);
    expect(request.orderId).toBeUndefined();
  });

  it('passes the batch and per-item reasons', () => {
    const request = received(BatchUpdateStockRequest, {
      storefrontId: 9,
      userId: 7,
      reason: 'recount',
      items: [
        { productId: 1, quantity: 0, reason: 'damaged' },
        { productId: 2, quantity: 5 },
      ],
    });
    expect(toBatchUpdateStockInput(request)).toEqual({
      storefrontId: 9,
      userId: 7,
      reason: 'recount',
      items: [
        { productId: 1, variantId: undefined, quantity: 0, reason: 'damaged' },
        { productId: 2, variantId: undefined, quantity: 5, reason: undefined },
      ],
    });
  });

  it('reports in-band failures with the error text and unset variant ids', () => {
    const message = toStockOperationMessage({
      success: false,
      error: 'failed to decrement stock for product 1: insufficient stock for product 1: have 1, need 2',
      results: [{ productId: 1, variantId: null, stockBefore: 1, stockAfter: 1, success: false, error: 'x' }],
    });
    expect(message.success).toBe(false);
    expect(message.error).toContain('insufficient stock');
    expect(message.results[0]).toEqual({
      productId: 1,
      variantId: undefined,
      stockBefore: 1,
      stockAfter: 1,
      success: false,
      error: 'x',
    });
  });
});
