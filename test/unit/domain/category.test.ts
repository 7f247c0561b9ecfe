import { describe, expect, it } from 'vitest';
import { buildCategoryTree, type Category, type CategoryTreeNode } from '../../../src/domain/category.ts';
import { catchAppError } from './support.ts';

function category(id: number, parentId: number | null, slug: string, extra: Partial<Category> = {}): Category {
  return {
    id,
    name: slug,
    slug,
    parentId,
    icon: null,
    description: null,
    isActive: true,
    listingCount: id,
    sortOrder: 0,
    level: 0,
    translations: {},
    hasCustomUi: false,
    customUiComponent: null,
    createdAt: new Date(0),
    ...extra,
  };
}

const rows = [
  category(1, null, 'electronics'),
  category(2, 1, 'phones', { sortOrder: 2 }),
  category(3, 1, 'computers', { sortOrder: 1 }),
  category(4, 2, 'smartphones'),
  category(5, 4, 'android'),
  category(6, 5, 'foldables'),
  category(7, 4, 'ios', { isActive: false }),
  category(8, 7, 'iphone-13'),
  category(9, null, 'garden'),
];

function shape(node: CategoryTreeNode): unknown {
  return { slug: node.slug, path: node.path, children: node.children.map(shape) };
}

describe('buildCategoryTree', () => {
  it('keeps every level (depth ≥ 3), sorted by sort_order then name, skipping inactive subtrees', () => {
    const tree = buildCategoryTree(rows, 1);
    expect(shape(tree)).toEqual({
      slug: 'electronics',
      path: 'electronics',
      children: [
        { slug: 'computers', path: 'electronics/computers', children: [] },
        {
          slug: 'phones',
          path: 'electronics/phones',
          children: [
            {
              slug: 'smartphones',
              path: 'electronics/phones/smartphones',
              children: [
                {
                  slug: 'android',
                  path: 'electronics/phones/smartphones/android',
                  children: [
                    { slug: 'foldables', path: 'electronics/phones/smartphones/android/foldables', children: [] },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(tree.childrenCount).toBe(2);
    expect(tree.children[1]!.children[0]!.childrenCount).toBe(1);
  });

  it('builds a subtree with the full path from its ancestors', () => {
    const tree = buildCategoryTree(rows, 4);
    expect(tree.path).toBe('electronics/phones/smartphones');
    expect(tree.children.map((child) => child.slug)).toEqual(['android']);
  });

  it('answers NOT_FOUND for a missing or inactive root', () => {
    expect(catchAppError(() => buildCategoryTree(rows, 99), 'CATEGORY_NOT_FOUND').message).toBe(
      'category tree not found: 99',
    );
    catchAppError(() => buildCategoryTree(rows, 7), 'CATEGORY_NOT_FOUND');
  });

  it('survives a cycle in bad data', () => {
    const cyclic = [category(1, 2, 'a'), category(2, 1, 'b')];
    const tree = buildCategoryTree(cyclic, 1);
    expect(tree.children.map((child) => child.slug)).toEqual(['b']);
    expect(tree.children[0]!.children).toEqual([]);
  });
});
