import type { Category, CategoryTreeNode } from '../../../src/domain/category.ts';
import { compact, type Json, timestampOf } from './compact.ts';

/** A category as the Category message has it, in snake_case; `translations` is omitted while empty. */
export function categoryJson(category: Category): Json {
  return compact({
    id: category.id,
    name: category.name,
    slug: category.slug,
    parent_id: category.parentId,
    icon: category.icon,
    description: category.description,
    is_active: category.isActive,
    listing_count: category.listingCount,
    sort_order: category.sortOrder,
    level: category.level,
    translations: category.translations,
    has_custom_ui: category.hasCustomUi,
    custom_ui_component: category.customUiComponent,
    created_at: timestampOf(category.createdAt),
  });
}

/** A tree node with every level below it (a leaf has no `children` member and `children_count` 0). */
export function categoryTreeJson(node: CategoryTreeNode): Json {
  return compact({
    id: node.id,
    name: node.name,
    slug: node.slug,
    icon: node.icon,
    parent_id: node.parentId,
    level: node.level,
    path: node.path,
    listing_count: node.listingCount,
    children_count: node.childrenCount,
    children: node.children.map(categoryTreeJson),
    translations: node.translations,
    has_custom_ui: node.hasCustomUi,
    custom_ui_component: node.customUiComponent,
    created_at: timestampOf(node.createdAt),
  });
}
