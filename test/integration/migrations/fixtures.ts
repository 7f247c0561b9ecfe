import type { Knex } from 'knex';
import { expect } from 'vitest';

/** Inserts a root category and returns its id. */
export async function insertCategory(knex: Knex, slug: string): Promise<number> {
  const [row] = await knex('c2c_categories')
    .insert({ name: `Category ${slug}`, slug })
    .returning('id');
  return (row as { id: number }).id;
}

/** A valid C2C listing row; `overrides` change or add columns. */
export function listingRow(categoryId: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { user_id: 7, title: 'Road bike', price: '150.00', category_id: categoryId, ...overrides };
}

export async function insertListing(
  knex: Knex,
  categoryId: number,
  overrides: Record<string, unknown> = {},
): Promise<Record<string, unknown> & { id: number }> {
  const [row] = await knex('listings').insert(listingRow(categoryId, overrides)).returning('*');
  return row as Record<string, unknown> & { id: number };
}

/** Expects the write to fail with SQLSTATE `code` on the named constraint or index. */
export async function expectRejected(write: Promise<unknown>, code: string, constraint: string): Promise<void> {
  const error = await write.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, `expected a ${code} violation of ${constraint}`).toBeDefined();
  expect(error).toMatchObject({ code, constraint });
}

export const CHECK_VIOLATION = '23514';
export const UNIQUE_VIOLATION = '23505';
export const NOT_NULL_VIOLATION = '23502';
export const FOREIGN_KEY_VIOLATION = '23503';
