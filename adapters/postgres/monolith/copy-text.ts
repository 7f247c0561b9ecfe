/**
 * Rows in PostgreSQL's COPY text format (tab-separated, `\N` for NULL, backslash escapes), the format
 * `COPY ... FROM STDIN` reads by default. Values are already text (monolith.md §3.0: values travel as text), so
 * nothing is converted here, only escaped.
 */
export type CopyValue = string | null;

const SPECIAL = /[\\\n\r\t]/;

export function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (!SPECIAL.test(value)) return value;
  let out = '';
  for (const char of value) {
    if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else out += char;
  }
  return out;
}

/** One line (with its newline) of the given columns of `row`; a missing column is NULL. */
export function copyLine(row: Readonly<Record<string, CopyValue | undefined>>, columns: readonly string[]): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) line += '\t';
    line += copyField(row[columns[i] as string] ?? null);
  }
  return `${line}\n`;
}
