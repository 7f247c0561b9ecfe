/**
 * `listing_tags`: free-form labels. Trimmed, 1..100 characters (VARCHAR(100)), at most 50 per listing, duplicates
 * dropped (UNIQUE(listing_id, tag) is case-sensitive, and so is this).
 */
import { charLength, type Violations } from './validation.ts';

export const TAG_LIMITS = { maxLength: 100, maxCount: 50 } as const;

export function checkTags(v: Violations, field: string, value: unknown): string[] | undefined {
  if (!Array.isArray(value)) {
    v.add(field, 'invalid_format', `${field} must be a list of strings`);
    return undefined;
  }
  let valid = true;
  const tags: string[] = [];
  value.forEach((item: unknown, index) => {
    const path = `${field}[${index}]`;
    if (typeof item !== 'string' || item.trim() === '') {
      v.add(path, 'required', `${path} must be a non-empty string`);
      valid = false;
      return;
    }
    const tag = item.trim();
    if (charLength(tag) > TAG_LIMITS.maxLength) {
      v.add(path, 'too_long', `${path} must not exceed ${TAG_LIMITS.maxLength} characters`);
      valid = false;
      return;
    }
    if (!tags.includes(tag)) tags.push(tag);
  });
  if (tags.length > TAG_LIMITS.maxCount) {
    v.add(field, 'too_many', `${field} must not have more than ${TAG_LIMITS.maxCount} tags`);
    valid = false;
  }
  return valid ? tags : undefined;
}
