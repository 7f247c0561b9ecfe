import { describe, expect, it } from 'vitest';
import { copyField, copyLine } from '../../../adapters/postgres/monolith/copy-text.ts';

describe('COPY text format', () => {
  it('writes NULL as \\N and escapes backslash, tab, newline and carriage return', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField('Ćevapi 🍖 «Србија»')).toBe('Ćevapi 🍖 «Србија»');
    expect(copyField('')).toBe('');
  });

  it('joins the named columns with tabs, a missing column as NULL', () => {
    expect(copyLine({ id: '1', title: 'TV', note: null }, ['id', 'title', 'note', 'absent'])).toBe('1\tTV\t\\N\t\\N\n');
  });
});
