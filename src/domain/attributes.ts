/**
 * The `listings.attributes` JSONB (Product `attributes`, variant `variant_attributes` and `dimensions`).
 *
 * Kept flat and bounded so a caller cannot store a document of any size or depth in a row that is cached, indexed
 * and sent on every read: keys are non-empty and at most 100 characters (the size of `listing_attributes.attribute_key`),
 * values are strings (≤ 1000 characters), finite numbers, booleans or null, at most 100 keys, at most 16 KiB as JSON.
 */
import { charLength, type Violations } from './validation.ts';

export type AttributeValue = string | number | boolean | null;
export type AttributeMap = Readonly<Record<string, AttributeValue>>;

export const ATTRIBUTE_LIMITS = { maxKeys: 100, maxKeyLength: 100, maxStringLength: 1000, maxBytes: 16_384 } as const;

export const EMPTY_ATTRIBUTES: AttributeMap = Object.freeze({});

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Validates and copies an attribute object; `null`/`undefined` are not handled here (callers decide presence). */
export function checkAttributes(v: Violations, field: string, value: unknown): AttributeMap | undefined {
  if (!isPlainObject(value)) {
    v.add(field, 'invalid_format', `${field} must be a JSON object`);
    return undefined;
  }
  const entries = Object.entries(value);
  let valid = true;
  if (entries.length > ATTRIBUTE_LIMITS.maxKeys) {
    v.add(field, 'too_many', `${field} must not have more than ${ATTRIBUTE_LIMITS.maxKeys} keys`);
    return undefined;
  }
  const copy: Record<string, AttributeValue> = {};
  for (const [key, item] of entries) {
    const path = `${field}.${key}`;
    if (key.trim() === '' || charLength(key) > ATTRIBUTE_LIMITS.maxKeyLength) {
      v.add(path, 'invalid_format', `${field} keys must be 1 to ${ATTRIBUTE_LIMITS.maxKeyLength} characters`);
      valid = false;
    } else if (typeof item === 'string') {
      if (charLength(item) > ATTRIBUTE_LIMITS.maxStringLength) {
        v.add(path, 'too_long', `${path} must not exceed ${ATTRIBUTE_LIMITS.maxStringLength} characters`);
        valid = false;
      }
    } else if (typeof item === 'number') {
      if (!Number.isFinite(item)) {
        v.add(path, 'not_a_number', `${path} must be a finite number`);
        valid = false;
      }
    } else if (typeof item !== 'boolean' && item !== null) {
      v.add(path, 'not_flat', `${path} must be a string, number, boolean or null (${field} is a flat object)`);
      valid = false;
    }
    copy[key] = item as AttributeValue;
  }
  if (!valid) return undefined;
  const bytes = new TextEncoder().encode(JSON.stringify(copy)).length;
  if (bytes > ATTRIBUTE_LIMITS.maxBytes) {
    v.add(field, 'too_long', `${field} must not exceed ${ATTRIBUTE_LIMITS.maxBytes} bytes as JSON`);
    return undefined;
  }
  return Object.freeze(copy);
}

export function sameAttributes(a: AttributeMap | null, b: AttributeMap | null): boolean {
  if (a === null || b === null) return a === b;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((key) => Object.hasOwn(b, key) && Object.is(a[key], b[key]));
}
