/**
 * Rows in PostgreSQL's COPY text format (tab-separated, `\N` for NULL, backslash escapes), the format
 * `COPY ... FROM STDIN` reads by default. Values are already text (monolith.md §3.0: values travel as text), so
 * nothing is converted here, only escaped.
 */
export type CopyValue = string | null;

const SPECIAL = /[\\\n\r\t]/;
const SPECIALS = /[\\\n\r\t]/g;
const ESCAPED: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const escaped = (char: string) => ESCAPED[char] as string;

export function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  // One pass in native code; a character-by-character rebuild of a long description cost far more.
  return SPECIAL.test(value) ? value.replace(SPECIALS, escaped) : value;
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

/** Bytes per write of a COPY stream: lines are grouped into writes of about this size. */
export const COPY_CHUNK = 65_536;

/**
 * Lines already encoded (UTF-8 buffers, made ahead of the write) grouped into writes of about COPY_CHUNK bytes.
 * Held as buffers rather than strings while they wait: a batch's worth of COPY text outlives several young-generation
 * collections, and strings (built by concatenation) would be copied by each and then promoted.
 */
export function* groupedBuffers(lines: Iterable<Buffer>): Generator<Buffer> {
  let group: Buffer[] = [];
  let size = 0;
  for (const line of lines) {
    group.push(line);
    size += line.length;
    if (size >= COPY_CHUNK) {
      yield Buffer.concat(group, size);
      group = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(group, size);
}
