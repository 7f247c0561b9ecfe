/**
 * ISO 4217 currency codes a price may carry.
 *
 * The list holds the active circulating currencies. Left out on purpose: precious metals (XAU, XAG, XPD, XPT),
 * bond-market units (XBA–XBD), the SDR (XDR), fund and index codes (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW,
 * XSU, XUA) and the test codes (XTS, XXX): no marketplace price is quoted in them. Kept while they are being
 * replaced, so stored rows stay valid: ANG (→ XCG), SLL (→ SLE), ZWL (→ ZWG). The original accepted any three
 * characters; an unknown code is now a validation error.
 */
import type { Violations } from './validation.ts';

/** Upper-case codes, written as one text to keep the list readable. */
export const ISO_4217_CODES: readonly string[] = (
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL ' +
  'BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ' +
  'ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR ' +
  'IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL ' +
  'LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR ' +
  'NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD ' +
  'SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH ' +
  'UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL '
)
  .trim()
  .split(' ');

declare const currencyBrand: unique symbol;
/** A known ISO 4217 code, upper case. Build one with {@link checkCurrency} or {@link asCurrency}. */
export type CurrencyCode = string & { readonly [currencyBrand]: true };

/** The database default (`listings.currency DEFAULT 'RSD'`). */
export const DEFAULT_CURRENCY = 'RSD' as CurrencyCode;

const KNOWN: ReadonlySet<string> = new Set(ISO_4217_CODES);

export function isCurrencyCode(value: unknown): value is CurrencyCode {
  return typeof value === 'string' && KNOWN.has(value);
}

/**
 * Brands a code read from storage without rejecting it: rows written before this validation existed may hold
 * codes no longer in the list, and reading them must not fail.
 */
export function asCurrency(stored: string): CurrencyCode {
  return stored as CurrencyCode;
}

/**
 * `currency is required`, `currency must be 3 characters (ISO 4217)` (the original's texts), then
 * `currency must be 3 uppercase letters (ISO 4217)` and `currency must be a known ISO 4217 code`.
 */
export function checkCurrency(v: Violations, field: string, value: unknown): CurrencyCode | undefined {
  if (value === undefined || value === null || value === '') {
    v.add(field, 'required', `${field} is required`);
    return undefined;
  }
  if (typeof value !== 'string' || value.length !== 3) {
    v.add(field, 'invalid_format', `${field} must be 3 characters (ISO 4217)`);
    return undefined;
  }
  if (!/^[A-Z]{3}$/.test(value)) {
    v.add(field, 'invalid_format', `${field} must be 3 uppercase letters (ISO 4217)`);
    return undefined;
  }
  if (!KNOWN.has(value)) {
    v.add(field, 'unknown_value', `${field} must be a known ISO 4217 code`);
    return undefined;
  }
  return value as CurrencyCode;
}
