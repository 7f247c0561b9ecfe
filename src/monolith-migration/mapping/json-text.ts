/**
 * JSON without lossy round trips (Q20): numbers keep their source text (`JSON.rawJSON`, Node 21+), so big integers
 * and trailing zeros survive; strings, emoji and nesting survive `JSON.parse`/`JSON.stringify` unchanged. Output is
 * compact; PostgreSQL normalises jsonb on input anyway.
 */
import type { JsonText } from './source-rows.ts';

interface JsonWithRaw {
  rawJSON(text: string): unknown;
}

const rawJSON = (JSON as unknown as JsonWithRaw).rawJSON;

function keepNumberText(_key: string, value: unknown, context?: { source?: string }): unknown {
  return typeof value === 'number' && context?.source !== undefined ? rawJSON(context.source) : value;
}

/** Parses JSON text; numbers become raw-JSON markers that stringify to their exact source text. */
export function parseJson(text: JsonText): unknown {
  return JSON.parse(text, keepNumberText);
}

export function stringifyJson(value: unknown): JsonText {
  return JSON.stringify(value);
}

/** A JSON number with exactly this decimal text (coordinates, numeric attribute values). */
export function jsonNumber(decimalText: string): unknown {
  return rawJSON(decimalText);
}

/** True for a parsed JSON object (not an array, not a raw number marker, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

/** A JSON `null` that survives "omit null keys" (a source JSON column holding `null` is not an SQL NULL). */
export const JSON_NULL: unknown = rawJSON('null');

/** A source JSON column for `_monolith`: SQL NULL → null (omitted), JSON text → its value (JSON null kept). */
export function jsonColumn(text: JsonText | null): unknown {
  if (text === null) return null;
  const value = parseJson(text);
  return value === null ? JSON_NULL : value;
}
