/**
 * The rule every resource document follows: a member whose value is null or undefined, an empty array and an
 * empty object are left out (the original omitted nulls and empty relations). Used by every mapper, one level
 * deep: nested documents are compacted by their own mapper.
 */
export type Json = Record<string, unknown>;

export function compact<T extends Json>(document: T): Partial<T> {
  const out: Json = {};
  for (const [key, value] of Object.entries(document)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (isPlainObject(value) && Object.keys(value).length === 0) continue;
    out[key] = value;
  }
  return out as Partial<T>;
}

function isPlainObject(value: unknown): value is Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** RFC 3339 in UTC with milliseconds; null stays null (and is then omitted). */
export function timestampOf(date: Date | null | undefined): string | null {
  return date == null ? null : date.toISOString();
}
