import type { Category } from '../../src/domain/category.ts';

/**
 * `c2c_categories` rows (plus the computed `listing_count`) ↔ {@link Category}. Most columns are nullable in the
 * original schema; a NULL reads as the column's default. `created_at` is a naive TIMESTAMP read as UTC.
 */
export interface CategoryRow {
  readonly id: number;
  readonly name: string;
  readonly slug: string;
  readonly parent_id: number | null;
  readonly icon: string | null;
  readonly description: string | null;
  readonly is_active: boolean | null;
  readonly listing_count: number | string;
  readonly sort_order: number | null;
  readonly level: number | null;
  readonly has_custom_ui: boolean | null;
  readonly custom_ui_component: string | null;
  readonly created_at: Date | null;
}

export function toCategory(row: CategoryRow): Category {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    parentId: row.parent_id,
    icon: row.icon,
    description: row.description,
    isActive: row.is_active ?? true,
    listingCount: Number(row.listing_count),
    sortOrder: row.sort_order ?? 0,
    level: row.level ?? 0,
    translations: {},
    hasCustomUi: row.has_custom_ui ?? false,
    customUiComponent: row.custom_ui_component,
    createdAt: row.created_at ?? new Date(0),
  };
}

/**
 * The category columns with `listing_count`: live, active listings of that category alone (not its descendants),
 * the same count in every read (the original counted deleted rows in some RPCs).
 */
export const CATEGORY_COLUMNS = `c.id, c.name, c.slug, c.parent_id, c.icon, c.description, c.is_active, c.sort_order,
  c.level, c.has_custom_ui, c.custom_ui_component, c.created_at,
  (SELECT count(*) FROM listings AS l
   WHERE l.category_id = c.id AND l.is_deleted = false AND l.status = 'active') AS listing_count`;

/** `sort_order`, then name by code point (the order of `compareCategories`, whatever the database collation). */
export const CATEGORY_ORDER = 'COALESCE(c.sort_order, 0), c.name COLLATE "C", c.id';

/** NULL `is_active` is the column default, true. */
export const ACTIVE_CATEGORY = 'c.is_active IS NOT FALSE';
