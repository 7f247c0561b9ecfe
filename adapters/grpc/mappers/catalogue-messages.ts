/** Categories, the category tree and storefronts → proto messages (listing-family timestamps: RFC 3339 text). */
import type { Category, CategoryTreeNode } from '../../../src/domain/category.ts';
import type { Storefront, StorefrontListInput } from '../../../src/domain/storefront.ts';
import type {
  Category as CategoryMessage,
  CategoryTreeNode as CategoryTreeNodeMessage,
  ListStorefrontsRequest,
  Storefront as StorefrontMessage,
} from '../generated/listings/v1/listings.ts';
import { toRfc3339, unset } from './wire-values.ts';

export function toCategoryMessage(category: Category): CategoryMessage {
  return {
    id: category.id,
    name: category.name,
    slug: category.slug,
    parentId: unset(category.parentId),
    icon: unset(category.icon),
    description: unset(category.description),
    isActive: category.isActive,
    listingCount: category.listingCount,
    sortOrder: category.sortOrder,
    level: category.level,
    translations: { ...category.translations },
    hasCustomUi: category.hasCustomUi,
    customUiComponent: unset(category.customUiComponent),
    createdAt: toRfc3339(category.createdAt),
  };
}

/** Every level, recursively; `path` is the slug chain from the top (`electronics/phones/smartphones`). */
export function toCategoryTreeNodeMessage(node: CategoryTreeNode): CategoryTreeNodeMessage {
  return {
    id: node.id,
    name: node.name,
    slug: node.slug,
    icon: unset(node.icon),
    parentId: unset(node.parentId),
    level: node.level,
    path: node.path,
    listingCount: node.listingCount,
    childrenCount: node.childrenCount,
    children: node.children.map(toCategoryTreeNodeMessage),
    translations: { ...node.translations },
    hasCustomUi: node.hasCustomUi,
    customUiComponent: unset(node.customUiComponent),
    createdAt: toRfc3339(node.createdAt),
  };
}

export function toStorefrontMessage(storefront: Storefront): StorefrontMessage {
  return {
    id: storefront.id,
    userId: storefront.userId,
    slug: storefront.slug,
    name: storefront.name,
    description: unset(storefront.description),
    logoUrl: unset(storefront.logoUrl),
    bannerUrl: unset(storefront.bannerUrl),
    phone: unset(storefront.phone),
    email: unset(storefront.email),
    website: unset(storefront.website),
    address: unset(storefront.address),
    city: unset(storefront.city),
    postalCode: unset(storefront.postalCode),
    country: storefront.country,
    latitude: unset(storefront.latitude),
    longitude: unset(storefront.longitude),
    isActive: storefront.isActive,
    isVerified: storefront.isVerified,
    rating: storefront.rating,
    reviewsCount: storefront.reviewsCount,
    productsCount: storefront.productsCount,
    salesCount: storefront.salesCount,
    viewsCount: storefront.viewsCount,
    followersCount: storefront.followersCount,
    createdAt: toRfc3339(storefront.createdAt),
    updatedAt: toRfc3339(storefront.updatedAt),
  };
}

/** Present filters only; limit ≤ 0 → 20 and the sort default are the domain's. */
export function toStorefrontListInput(request: ListStorefrontsRequest): StorefrontListInput {
  return {
    userId: request.userId,
    isActive: request.isActive,
    isVerified: request.isVerified,
    city: request.city,
    limit: request.limit,
    offset: request.offset,
    sortBy: request.sortBy,
    sortOrder: request.sortOrder,
  };
}
