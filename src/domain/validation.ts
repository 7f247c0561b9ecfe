/**
 * Field-level validation shared by every entity.
 *
 * Validators never stop at the first problem: each check records a {@link FieldViolation} in a
 * {@link Violations} list and returns the normalised value (or `undefined` when the value is invalid), so a
 * caller collects every problem of a request and throws one VALIDATION_FAILED at the end.
 * Field paths are the wire's snake_case names (`title`, `products[2].name`, `location.latitude`).
 * Messages keep the original service's texts where callers matched on them (original-service.md §3.4).
 */
import { AppError, type FieldViolation, validationError } from './errors.ts';

/** Stable machine words for {@link FieldViolation.reason}. */
export type ViolationReason =
  | 'required'
  | 'too_short'
  | 'too_long'
  | 'too_many'
  | 'must_be_positive'
  | 'negative'
  | 'not_integer'
  | 'not_a_number'
  | 'out_of_range'
  | 'too_many_decimals'
  | 'invalid_format'
  | 'unknown_value'
  | 'not_found'
  | 'empty_update'
  | 'invalid_range'
  | 'duplicate'
  | 'not_flat'
  | 'conflict';

export class Violations {
  readonly #items: FieldViolation[] = [];

  add(field: string, reason: ViolationReason, message: string): void {
    this.#items.push({ field, reason, message });
  }

  addAll(items: readonly FieldViolation[]): void {
    this.#items.push(...items);
  }

  get items(): readonly FieldViolation[] {
    return this.#items;
  }

  get isEmpty(): boolean {
    return this.#items.length === 0;
  }

  /**
   * Throws one VALIDATION_FAILED carrying every violation collected so far; does nothing when there are none.
   * `reason` is the original's dotted machine reason for the whole request (`variants.invalid_stock_quantity`).
   */
  throwIfAny(reason?: string): void {
    if (this.#items.length === 0) return;
    const error = validationError([...this.#items]);
    if (reason === undefined) throw error;
    throw new AppError('VALIDATION_FAILED', error.message, { violations: error.violations, reason });
  }

  has(field: string): boolean {
    return this.#items.some((item) => item.field === field);
  }
}

/** Largest value of a protobuf int32 / PostgreSQL INTEGER. */
export const INT32_MAX = 2_147_483_647;

/** Entities whose ids the original named in `<entity> ID must be greater than 0`. */
export type IdEntity = 'listing' | 'user' | 'category' | 'image' | 'variant' | 'product' | 'storefront';

/** Length in Unicode code points, which is what VARCHAR(n) counts (a JS string's `length` counts UTF-16 units). */
export function charLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * An id of a known entity (`listing ID must be greater than 0`). Ids are int64 on the wire and BIGINT in the
 * database; the core holds them as JS numbers, so ids above 2^53 − 1 are rejected rather than silently rounded.
 */
export function checkEntityId(v: Violations, field: string, entity: IdEntity, value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    v.add(field, 'must_be_positive', `${entity} ID must be greater than 0`);
    return undefined;
  }
  if (!Number.isSafeInteger(value)) {
    v.add(field, 'out_of_range', `${entity} ID is too large`);
    return undefined;
  }
  return value;
}

/** A positive id named by its field (`user_id must be greater than 0`), as CreateListing worded it. */
export function checkPositiveIdField(v: Violations, field: string, value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    v.add(field, 'must_be_positive', `${field} must be greater than 0`);
    return undefined;
  }
  if (!Number.isSafeInteger(value)) {
    v.add(field, 'out_of_range', `${field} is too large`);
    return undefined;
  }
  return value;
}

export interface IntRange {
  readonly min?: number;
  readonly max?: number;
}

/**
 * A whole number within int32 (or a narrower range). Below `min` (default 0) reads `<field> cannot be negative`
 * when `min` is 0, otherwise `<field> must be at least <min>`.
 */
export function checkInt(v: Violations, field: string, value: unknown, range: IntRange = {}): number | undefined {
  const min = range.min ?? 0;
  const max = range.max ?? INT32_MAX;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    v.add(field, 'not_a_number', `${field} must be a number`);
    return undefined;
  }
  if (!Number.isInteger(value)) {
    v.add(field, 'not_integer', `${field} must be a whole number`);
    return undefined;
  }
  if (value < min) {
    if (min === 0) v.add(field, 'negative', `${field} cannot be negative`);
    else v.add(field, 'out_of_range', `${field} must be at least ${min}`);
    return undefined;
  }
  if (value > max) {
    v.add(field, 'out_of_range', `${field} must not exceed ${max}`);
    return undefined;
  }
  return value;
}

export interface TitleRules {
  readonly min: number;
  readonly max: number;
  /** Message when the value is missing or blank: `title is required` on create, `title cannot be empty` on update. */
  readonly emptyMessage: string;
}

export const TITLE_RULES = { min: 3, max: 255 } as const;

/** A required one-line text (title, name), trimmed, `min`..`max` code points after trimming. */
export function checkTitle(v: Violations, field: string, value: unknown, rules: TitleRules): string | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    v.add(field, 'required', rules.emptyMessage);
    return undefined;
  }
  if (typeof value !== 'string') {
    v.add(field, 'invalid_format', `${field} must be a string`);
    return undefined;
  }
  const trimmed = value.trim();
  const length = charLength(trimmed);
  if (length < rules.min) {
    v.add(field, 'too_short', `${field} must be at least ${rules.min} characters`);
    return undefined;
  }
  if (length > rules.max) {
    v.add(field, 'too_long', `${field} must not exceed ${rules.max} characters`);
    return undefined;
  }
  return trimmed;
}

export interface OptionalTextRules {
  readonly max: number;
  /** Trim surrounding white space before checking and storing (one-line values such as a SKU). Default false. */
  readonly trim?: boolean;
}

/**
 * An optional free text. `undefined` stays `undefined` (not provided); `null` and an empty (or, with `trim`,
 * blank) string become `null` (cleared); longer than `max` code points is a violation.
 */
export function checkOptionalText(
  v: Violations,
  field: string,
  value: unknown,
  rules: OptionalTextRules,
): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'string') {
    v.add(field, 'invalid_format', `${field} must be a string`);
    return undefined;
  }
  const text = rules.trim === true ? value.trim() : value;
  if (text === '') return null;
  if (charLength(text) > rules.max) {
    v.add(field, 'too_long', `${field} must not exceed ${rules.max} characters`);
    return undefined;
  }
  return text;
}

/** One of a fixed set of strings; anything else reads `invalid <field>: <value>` (UpdateListing's `invalid status: x`). */
export function checkOneOf<T extends string>(
  v: Violations,
  field: string,
  value: unknown,
  allowed: readonly T[],
): T | undefined {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  v.add(field, 'unknown_value', `invalid ${field}: ${String(value)}`);
  return undefined;
}

export function checkBoolean(v: Violations, field: string, value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  v.add(field, 'invalid_format', `${field} must be true or false`);
  return undefined;
}

/**
 * Re-homes violations of one item of a batch: field `name` becomes `products[2].name` and the message
 * `name must be ...` becomes `name at index 2 must be ...`, the original's wording for bulk input.
 */
export function atIndex(items: readonly FieldViolation[], list: string, index: number): FieldViolation[] {
  return items.map((item) => {
    const field = item.field === '' ? `${list}[${index}]` : `${list}[${index}].${item.field}`;
    const prefix = `${item.field} `;
    const message =
      item.field !== '' && item.message.startsWith(prefix)
        ? `${item.field} at index ${index} ${item.message.slice(prefix.length)}`
        : `${item.message} (at index ${index})`;
    return { field, reason: item.reason, message };
  });
}
