/** Column rules shared by C2C listings and B2C products (§3.4, §3.5, §3.14): title, price, currency, privacy. */
import { decimalAtScale, decimalSign, parseDecimal } from './decimals.ts';
import { type IssueLog, reject } from './mapping-result.ts';
import { trimSpaces } from './status-map.ts';
import type { MappingContext, TargetListingRow } from './types.ts';

const TITLE_MIN_CHARACTERS = 3;
const TITLE_MAX_CHARACTERS = 255;
const PRICE_SCALE = 2;
const PRICE_INTEGER_DIGITS = 13;

/** Length in characters (code points), as PostgreSQL's `length()` counts in a UTF-8 database. */
export function characterLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * The title (§3.14): verbatim when `length(btrim(title)) >= 3` (the target CHECK), else repaired to
 * `btrim(title) + " #" + id` (`#<id>` when empty; `Listing #<id>` when still shorter than 3), or rejected with
 * `--reject title`.
 */
export function mapTitle(title: string, id: number, ctx: MappingContext, log: IssueLog): string {
  const trimmed = trimSpaces(title);
  if (Buffer.byteLength(title, 'utf8') > TITLE_MAX_CHARACTERS) log.notice('TITLE_OVER_255_BYTES', 'title', null);
  if (characterLength(title) > TITLE_MAX_CHARACTERS) {
    reject('FIELD_TOO_LONG', `title has ${characterLength(title)} characters (max ${TITLE_MAX_CHARACTERS})`);
  }
  if (characterLength(trimmed) >= TITLE_MIN_CHARACTERS) return title;
  if (ctx.options.rejectShortTitle) reject('TITLE_TOO_SHORT', `title ${JSON.stringify(title)} is shorter than 3`);
  let repaired = trimmed === '' ? `#${id}` : `${trimmed} #${id}`;
  if (characterLength(repaired) < TITLE_MIN_CHARACTERS) repaired = `Listing #${id}`;
  log.repair('TITLE_TOO_SHORT', 'title', title);
  return repaired;
}

export interface PriceMapping {
  readonly price: string;
  /** A fallback was used: the row is forced to draft. */
  readonly forcedDraft: boolean;
}

/** Price (§3.4, §3.14): NULL → PRICE_MISSING, ≤ 0 → PRICE_NOT_POSITIVE, unless `--price-fallback`. */
export function mapPrice(raw: string | null, ctx: MappingContext, log: IssueLog): PriceMapping {
  const fallback = (code: 'PRICE_MISSING' | 'PRICE_NOT_POSITIVE', detail: string): PriceMapping => {
    const amount = ctx.options.priceFallback === null ? null : decimalAtScale(ctx.options.priceFallback, PRICE_SCALE);
    if (amount === null) return reject(code, detail);
    log.repair(code, 'price', raw);
    return { price: amount, forcedDraft: true };
  };
  if (raw === null) return fallback('PRICE_MISSING', 'price is NULL');
  const parsed = parseDecimal(raw);
  if (parsed === null) return reject('PRICE_OUT_OF_RANGE', `price ${raw} is not a finite decimal`);
  if (decimalSign(parsed) <= 0) return fallback('PRICE_NOT_POSITIVE', `price ${raw} is not positive`);
  if (parsed.integer.length > PRICE_INTEGER_DIGITS) {
    return reject('PRICE_OUT_OF_RANGE', `price ${raw} has more than ${PRICE_INTEGER_DIGITS} integer digits`);
  }
  const price = decimalAtScale(raw, PRICE_SCALE);
  if (price === null) return reject('PRICE_TOO_PRECISE', `price ${raw} has more than ${PRICE_SCALE} decimals`);
  return { price, forcedDraft: false };
}

export interface ReferenceMapping {
  readonly id: number;
  readonly forcedDraft: boolean;
}

/** Owner (§3.4): NULL or ≤ 0 → OWNER_MISSING unless `--owner-fallback`. */
export function mapOwner(userId: number | null, ctx: MappingContext, log: IssueLog): ReferenceMapping {
  if (userId !== null && userId > 0) return { id: userId, forcedDraft: false };
  if (ctx.options.ownerFallback === null) return reject('OWNER_MISSING', `user_id is ${userId ?? 'NULL'}`);
  log.repair('OWNER_MISSING', 'user_id', userId);
  return { id: ctx.options.ownerFallback, forcedDraft: true };
}

/** Category (§3.4): NULL or not in the target → CATEGORY_MISSING unless `--category-fallback`. */
export function mapCategoryRef(categoryId: number | null, ctx: MappingContext, log: IssueLog): ReferenceMapping {
  if (categoryId !== null && ctx.categoryExists(categoryId)) return { id: categoryId, forcedDraft: false };
  if (ctx.options.categoryFallback === null) {
    return reject('CATEGORY_MISSING', `category_id ${categoryId ?? 'NULL'} is not in the target`);
  }
  log.repair('CATEGORY_MISSING', 'category_id', categoryId);
  return { id: ctx.options.categoryFallback, forcedDraft: true };
}

const CURRENCY = /^[A-Z]{3}$/;

/** Upper-cases ASCII letters only: `'ß'.toUpperCase()` is `SS`, which PostgreSQL's upper() would not produce. */
function asciiUpper(text: string): string {
  return text.replace(/[a-z]/g, (c) => c.toUpperCase());
}

/** C2C currency (§3.4): `upper(btrim(metadata->>'currency'))` when three letters, else RSD. */
export function mapC2cCurrency(metadataCurrency: string | null, log: IssueLog): string {
  if (metadataCurrency === null) return 'RSD';
  const candidate = asciiUpper(trimSpaces(metadataCurrency));
  if (CURRENCY.test(candidate)) return candidate;
  if (trimSpaces(metadataCurrency) !== '') log.repair('CURRENCY_INVALID', 'currency', metadataCurrency);
  return 'RSD';
}

/** B2C currency (§3.5): `upper(rtrim(currency))` (char(3) is blank-padded); not three letters → RSD. */
export function mapB2cCurrency(currency: string, log: IssueLog): string {
  const candidate = asciiUpper(currency.replace(/ +$/, ''));
  if (CURRENCY.test(candidate)) return candidate;
  log.repair('CURRENCY_INVALID', 'currency', currency);
  return 'RSD';
}

/**
 * Location privacy (Q9): exact → exact; street/district/city (or any other value) → approximate with
 * PRIVACY_APPROXIMATED; NULL → exact (the target default).
 */
export function mapPrivacy(raw: string | null, field: string, log: IssueLog): TargetListingRow['location_privacy'] {
  if (raw === null || raw === 'exact') return 'exact';
  log.repair('PRIVACY_APPROXIMATED', field, raw);
  return 'approximate';
}
