/**
 * Categories (`c2c_categories`) and the category tree.
 *
 * The tree is built by reference, so it has every level (the original copied nodes by value and lost depth ≥ 2).
 * Order everywhere: `sort_order`, then name. `listing_count` counts active, non-deleted listings (the original
 * counted soft-deleted rows in some RPCs and not in others). `path` is the chain of slugs from the top-most
 * ancestor known to the builder (`electronics/phones/android`); the original put the bare slug there, which equals
 * the path of a root category.
 */
import { AppError } from './errors.ts';

export interface Category {
  readonly id: number;
  readonly name: string;
  readonly slug: string;
  readonly parentId: number | null;
  readonly icon: string | null;
  readonly description: string | null;
  readonly isActive: boolean;
  /** Active, non-deleted listings in this category (not its descendants). */
  readonly listingCount: number;
  readonly sortOrder: number;
  /** 0 for a root. */
  readonly level: number;
  /** Locale → name. No table holds translations yet, so this is empty. */
  readonly translations: Readonly<Record<string, string>>;
  readonly hasCustomUi: boolean;
  readonly customUiComponent: string | null;
  readonly createdAt: Date;
}

export interface CategoryTreeNode {
  readonly id: number;
  readonly name: string;
  readonly slug: string;
  readonly icon: string | null;
  readonly parentId: number | null;
  readonly level: number;
  readonly path: string;
  readonly listingCount: number;
  readonly childrenCount: number;
  readonly children: readonly CategoryTreeNode[];
  readonly translations: Readonly<Record<string, string>>;
  readonly hasCustomUi: boolean;
  readonly customUiComponent: string | null;
  readonly createdAt: Date;
}

export function compareCategories(a: Pick<Category, 'sortOrder' | 'name'>, b: Pick<Category, 'sortOrder' | 'name'>) {
  return a.sortOrder - b.sortOrder || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

export function categoryNotFoundError(categoryId: number): AppError {
  return new AppError('CATEGORY_NOT_FOUND', `category not found: ${categoryId}`, { details: { categoryId } });
}

export function categoryTreeNotFoundError(categoryId: number): AppError {
  return new AppError('CATEGORY_NOT_FOUND', `category tree not found: ${categoryId}`, { details: { categoryId } });
}

function slugPath(category: Category, byId: ReadonlyMap<number, Category>): string {
  const slugs = [category.slug];
  const seen = new Set([category.id]);
  let parentId = category.parentId;
  while (parentId !== null && !seen.has(parentId)) {
    const parent = byId.get(parentId);
    if (!parent) break;
    slugs.unshift(parent.slug);
    seen.add(parent.id);
    parentId = parent.parentId;
  }
  return slugs.join('/');
}

/**
 * The subtree of active categories under `rootId`, any depth. `categories` may hold the whole table (inactive
 * rows are skipped, and so is everything under them); passing ancestors too gives full `path`s.
 * Missing or inactive root → CATEGORY_NOT_FOUND `category tree not found: <id>`. Cycles in bad data are cut.
 */
export function buildCategoryTree(categories: readonly Category[], rootId: number): CategoryTreeNode {
  const byId = new Map(categories.map((category) => [category.id, category]));
  const root = byId.get(rootId);
  if (!root?.isActive) throw categoryTreeNotFoundError(rootId);
  const childrenOf = new Map<number, Category[]>();
  for (const category of categories) {
    if (!category.isActive || category.parentId === null) continue;
    const siblings = childrenOf.get(category.parentId) ?? [];
    siblings.push(category);
    childrenOf.set(category.parentId, siblings);
  }
  for (const siblings of childrenOf.values()) siblings.sort(compareCategories);

  const visited = new Set<number>();
  const build = (category: Category, path: string): CategoryTreeNode => {
    visited.add(category.id);
    const children = (childrenOf.get(category.id) ?? [])
      .filter((child) => !visited.has(child.id))
      .map((child) => build(child, `${path}/${child.slug}`));
    return {
      id: category.id,
      name: category.name,
      slug: category.slug,
      icon: category.icon,
      parentId: category.parentId,
      level: category.level,
      path,
      listingCount: category.listingCount,
      childrenCount: children.length,
      children,
      translations: category.translations,
      hasCustomUi: category.hasCustomUi,
      customUiComponent: category.customUiComponent,
      createdAt: category.createdAt,
    };
  };
  return build(root, slugPath(root, byId));
}
