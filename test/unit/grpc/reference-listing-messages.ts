import type { MessageTable } from './reference-types.ts';

/** Requests/responses of the listing-family RPCs (§3.5: core listing RPCs; images, categories, favorites; storefronts; legacy variants and reindex). Typed from the reference tables, not from the .proto file. */
export const LISTING_RPC_MESSAGES: MessageTable = {
  GetListingRequest: {
    id: [1, 'int64'],
  },
  GetListingResponse: {
    listing: [1, 'Listing'],
  },
  CreateListingRequest: {
    user_id: [1, 'int64'],
    storefront_id: [2, 'optional int64'],
    title: [3, 'string'],
    description: [4, 'optional string'],
    price: [5, 'double'],
    currency: [6, 'string'],
    category_id: [7, 'int64'],
    quantity: [8, 'int32'],
    sku: [9, 'optional string'],
  },
  CreateListingResponse: {
    listing: [1, 'Listing'],
  },
  UpdateListingRequest: {
    id: [1, 'int64'],
    user_id: [2, 'int64'],
    title: [3, 'optional string'],
    description: [4, 'optional string'],
    price: [5, 'optional double'],
    quantity: [6, 'optional int32'],
    status: [7, 'optional string'],
  },
  UpdateListingResponse: {
    listing: [1, 'Listing'],
  },
  DeleteListingRequest: {
    id: [1, 'int64'],
    user_id: [2, 'int64'],
  },
  DeleteListingResponse: {
    success: [1, 'bool'],
  },
  SearchListingsRequest: {
    query: [1, 'string'],
    category_id: [2, 'optional int64'],
    min_price: [3, 'optional double'],
    max_price: [4, 'optional double'],
    limit: [5, 'int32'],
    offset: [6, 'int32'],
  },
  SearchListingsResponse: {
    listings: [1, 'repeated Listing'],
    total: [2, 'int32'],
  },
  ListListingsRequest: {
    user_id: [1, 'optional int64'],
    storefront_id: [2, 'optional int64'],
    category_id: [3, 'optional int64'],
    status: [4, 'optional string'],
    min_price: [5, 'optional double'],
    max_price: [6, 'optional double'],
    limit: [7, 'int32'],
    offset: [8, 'int32'],
  },
  ListListingsResponse: {
    listings: [1, 'repeated Listing'],
    total: [2, 'int32'],
  },
  ImageIDRequest: {
    image_id: [1, 'int64'],
  },
  ImageResponse: {
    image: [1, 'ListingImage'],
  },
  AddImageRequest: {
    listing_id: [1, 'int64'],
    url: [2, 'string'],
    storage_path: [3, 'optional string'],
    thumbnail_url: [4, 'optional string'],
    display_order: [5, 'int32'],
    is_primary: [6, 'bool'],
    width: [7, 'optional int32'],
    height: [8, 'optional int32'],
    file_size: [9, 'optional int64'],
    mime_type: [10, 'optional string'],
  },
  ListingIDRequest: {
    listing_id: [1, 'int64'],
  },
  ImagesResponse: {
    images: [1, 'repeated ListingImage'],
  },
  PopularCategoriesRequest: {
    limit: [1, 'int32'],
  },
  CategoriesResponse: {
    categories: [1, 'repeated Category'],
  },
  CategoryIDRequest: {
    category_id: [1, 'int64'],
  },
  CategoryResponse: {
    category: [1, 'Category'],
  },
  CategoryTreeResponse: {
    tree: [1, 'CategoryTreeNode'],
  },
  UserIDsResponse: {
    user_ids: [1, 'repeated int64'],
  },
  AddToFavoritesRequest: {
    user_id: [1, 'int64'],
    listing_id: [2, 'int64'],
  },
  RemoveFromFavoritesRequest: {
    user_id: [1, 'int64'],
    listing_id: [2, 'int64'],
  },
  GetUserFavoritesRequest: {
    user_id: [1, 'int64'],
    limit: [2, 'int32'],
    offset: [3, 'int32'],
  },
  GetUserFavoritesResponse: {
    listing_ids: [1, 'repeated int64'],
    total: [2, 'int32'],
  },
  IsFavoriteRequest: {
    user_id: [1, 'int64'],
    listing_id: [2, 'int64'],
  },
  IsFavoriteResponse: {
    is_favorite: [1, 'bool'],
  },
  GetStorefrontRequest: {
    id: [1, 'int64'],
  },
  GetStorefrontBySlugRequest: {
    slug: [1, 'string'],
  },
  StorefrontResponse: {
    storefront: [1, 'Storefront'],
  },
  ListStorefrontsRequest: {
    user_id: [1, 'optional int64'],
    is_active: [2, 'optional bool'],
    is_verified: [3, 'optional bool'],
    city: [4, 'optional string'],
    limit: [5, 'int32'],
    offset: [6, 'int32'],
    sort_by: [7, 'optional string'],
    sort_order: [8, 'optional string'],
  },
  ListStorefrontsResponse: {
    storefronts: [1, 'repeated Storefront'],
    total: [2, 'int32'],
  },
  CreateVariantsRequest: {
    listing_id: [1, 'int64'],
    variants: [2, 'repeated VariantInput'],
  },
  VariantInput: {
    sku: [1, 'string'],
    price: [2, 'optional double'],
    stock: [3, 'optional int32'],
    attributes: [4, 'map<string, string>'],
    image_url: [5, 'optional string'],
    is_active: [6, 'bool'],
  },
  VariantsResponse: {
    variants: [1, 'repeated ListingVariant'],
  },
  UpdateVariantRequest: {
    variant_id: [1, 'int64'],
    sku: [2, 'optional string'],
    price: [3, 'optional double'],
    stock: [4, 'optional int32'],
    image_url: [5, 'optional string'],
    is_active: [6, 'optional bool'],
    attributes: [7, 'map<string, string>'],
  },
  VariantIDRequest: {
    variant_id: [1, 'int64'],
  },
  ReindexRequest: {
    batch_size: [1, 'int32'],
    last_id: [2, 'optional int64'],
  },
  ListingsResponse: {
    listings: [1, 'repeated Listing'],
    total: [2, 'int32'],
    next_cursor: [3, 'optional int64'],
  },
  ResetFlagsRequest: {
    listing_ids: [1, 'repeated int64'],
  },
};
