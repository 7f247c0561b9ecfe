import { idSchema, stringMap, timestamp } from './common.ts';

const translations = { ...stringMap, description: 'Locale → name. Omitted while empty (no table holds them yet).' };

export const categorySchema = {
  type: 'object',
  title: 'Category',
  description: 'A category. Null members are omitted; roots have no `parent_id`.',
  required: ['id', 'name', 'slug', 'is_active', 'listing_count', 'sort_order', 'level', 'has_custom_ui', 'created_at'],
  properties: {
    id: idSchema,
    name: { type: 'string' },
    slug: { type: 'string' },
    parent_id: idSchema,
    icon: { type: 'string' },
    description: { type: 'string' },
    is_active: { type: 'boolean' },
    listing_count: { type: 'integer', description: 'Active, live listings in this category (not its descendants).' },
    sort_order: { type: 'integer' },
    level: { type: 'integer', description: '0 for a root.' },
    translations,
    has_custom_ui: { type: 'boolean' },
    custom_ui_component: { type: 'string' },
    created_at: timestamp,
  },
} as const;

export const categoryListSchema = {
  type: 'object',
  title: 'CategoryList',
  required: ['categories'],
  properties: { categories: { type: 'array', items: categorySchema } },
} as const;

/**
 * A tree node, `depth` levels deep. Written out level by level rather than with a recursive `$ref`: route schemas
 * are inlined into the OpenAPI document, where a local `#/$defs/...` reference would dangle. Nodes below the
 * described depth are still sent whole (the last level's children are open objects of the same shape).
 */
function treeNode(depth: number): Record<string, unknown> {
  const children =
    depth === 0
      ? { type: 'array', items: { type: 'object', additionalProperties: true }, description: 'Same shape.' }
      : { type: 'array', items: treeNode(depth - 1), description: 'Omitted for a leaf.' };
  return {
    type: 'object',
    required: ['id', 'name', 'slug', 'level', 'path', 'listing_count', 'children_count', 'created_at'],
    properties: {
      id: idSchema,
      name: { type: 'string' },
      slug: { type: 'string' },
      icon: { type: 'string' },
      parent_id: idSchema,
      level: { type: 'integer' },
      path: { type: 'string', description: 'e.g. `electronics/phones/smartphones`.' },
      listing_count: { type: 'integer' },
      children_count: { type: 'integer' },
      children,
      translations,
      has_custom_ui: { type: 'boolean' },
      custom_ui_component: { type: 'string' },
      created_at: timestamp,
    },
  };
}

export const categoryTreeSchema = {
  ...treeNode(8),
  title: 'CategoryTree',
  description: 'The active subtree under a category, every level; `path` is the chain of slugs from the top.',
};
