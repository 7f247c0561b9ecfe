import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { sinceText } from '../../../adapters/cli/commands/migrate-from-monolith.ts';
import { createProgressReporter } from '../../../adapters/cli/monolith-progress.ts';

describe('--since', () => {
  it('reads a date, a UTC time or a time with an offset as canonical UTC text', () => {
    expect(sinceText('2025-11-01')).toBe('2025-11-01T00:00:00.000000Z');
    expect(sinceText('2025-11-01T10:30:00')).toBe('2025-11-01T10:30:00.000000Z');
    expect(sinceText('2025-11-01 10:30:00.250Z')).toBe('2025-11-01T10:30:00.250000Z');
    expect(sinceText('2025-11-01T10:30:00+01:00')).toBe('2025-11-01T09:30:00.000000Z');
  });

  it('refuses anything else as a usage error', () => {
    for (const text of ['yesterday', '11/01/2025', '2025-13-45']) {
      expect(() => sinceText(text)).toThrow(expect.objectContaining({ code: 'USAGE_INVALID' }));
    }
  });
});

function stream(tty: boolean): PassThrough & { text(): string } {
  const sink = new PassThrough() as PassThrough & { text(): string; isTTY?: boolean; columns?: number };
  let written = '';
  sink.on('data', (chunk) => {
    written += chunk;
  });
  sink.isTTY = tty;
  sink.columns = 120;
  sink.text = () => written;
  return sink;
}

describe('migrate-from-monolith progress', () => {
  it('writes JSON lines off a terminal: one per table and interval, and each table end', () => {
    const sink = stream(false);
    let clock = 0;
    const reporter = createProgressReporter(sink as unknown as NodeJS.WriteStream, () => clock);
    reporter.update({ table: 'c2c_listings', phase: 'scan', done: 0, total: 1000 });
    clock = 500;
    reporter.update({ table: 'c2c_listings', phase: 'scan', done: 100, total: 1000 });
    clock = 2500;
    reporter.update({ table: 'c2c_listings', phase: 'scan', done: 500, total: 1000 });
    clock = 3000;
    reporter.update({ table: 'c2c_listings', phase: 'done', done: 1000, total: 1000 });
    reporter.stop();
    const lines = sink
      .text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { event: 'progress', table: 'c2c_listings', done: 0, total: 1000, rate: 0, eta_s: null },
      { event: 'progress', table: 'c2c_listings', done: 500, total: 1000, rate: 200, eta_s: 3 },
      { event: 'progress', table: 'c2c_listings', done: 1000, total: 1000, rate: 333, eta_s: 0 },
    ]);
  });

  it('draws a bar per table with rows/s on a terminal', () => {
    const sink = stream(true);
    let clock = 0;
    const reporter = createProgressReporter(sink as unknown as NodeJS.WriteStream, () => clock);
    reporter.update({ table: 'c2c_listings', phase: 'scan', done: 0, total: 100 });
    clock = 1000;
    reporter.update({ table: 'c2c_listings', phase: 'scan', done: 50, total: 100 });
    reporter.update({ table: 'c2c_images', phase: 'scan', done: 0, total: 10 });
    reporter.stop();
    expect(sink.text()).toContain('c2c_listings');
    expect(sink.text()).toContain('c2c_images');
    expect(sink.text()).toContain('50 rows/s');
    expect(sink.text()).toContain('50/100 rows');
  });
});
