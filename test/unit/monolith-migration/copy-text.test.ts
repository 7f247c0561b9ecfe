import { describe, expect, it } from 'vitest';
import { COPY_CHUNK, copyField, copyLine, groupedBuffers } from '../../../adapters/postgres/monolith/copy-text.ts';

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

  it('groups encoded lines into writes of at least COPY_CHUNK bytes, the last one shorter, losing no byte', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => Buffer.from(`${i}\tЋирилица ${'x'.repeat(i % 97)}\n`));
    const groups = [...groupedBuffers(lines)];
    expect(Buffer.concat(groups).equals(Buffer.concat(lines))).toBe(true);
    expect(groups.length).toBeGreaterThan(2);
    for (const group of groups.slice(0, -1)) expect(group.length).toBeGreaterThanOrEqual(COPY_CHUNK);
    expect((groups.at(-1) as Buffer).length).toBeGreaterThan(0);
    expect([...groupedBuffers([])]).toEqual([]);
  });
});
