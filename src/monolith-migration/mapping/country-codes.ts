/**
 * Default country-name table for store countries longer than the target column (§3.3, "table in config"): names
 * seen in the monolith's markets, lower-cased, in English, Serbian Latin and Cyrillic, and Russian. Operators pass
 * their own map through MappingContext.countryCodes; this is the one the CLI uses by default.
 */
const NAMES: Record<string, readonly string[]> = {
  RS: ['serbia', 'srbija', 'србија', 'republic of serbia', 'republika srbija', 'република србија', 'сербия'],
  ME: ['montenegro', 'crna gora', 'црна гора', 'черногория'],
  BA: ['bosnia and herzegovina', 'bosna i hercegovina', 'босна и херцеговина', 'босния и герцеговина'],
  HR: ['croatia', 'hrvatska', 'хрватска', 'хорватия'],
  MK: ['north macedonia', 'macedonia', 'severna makedonija', 'северна македонија', 'македонија', 'северная македония'],
  SI: ['slovenia', 'slovenija', 'словенија', 'словения'],
  HU: ['hungary', 'mađarska', 'мађарска', 'венгрия', 'magyarország'],
  RO: ['romania', 'rumunija', 'румунија', 'румыния', 'românia'],
  BG: ['bulgaria', 'bugarska', 'бугарска', 'болгария', 'българия'],
  DE: ['germany', 'nemačka', 'немачка', 'германия', 'deutschland'],
  AT: ['austria', 'austrija', 'аустрија', 'австрия', 'österreich'],
  RU: ['russia', 'rusija', 'русија', 'россия', 'russian federation', 'российская федерация'],
};

export const DEFAULT_COUNTRY_CODES: ReadonlyMap<string, string> = new Map(
  Object.entries(NAMES).flatMap(([code, names]) => names.map((name) => [name, code] as const)),
);

/** The lookup key of a country name: trimmed, lower-cased, inner whitespace collapsed. */
export function countryKey(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}
