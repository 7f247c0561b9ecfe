// Preloaded into a migrate-from-monolith child (`node --import ./bench/support/statement-timing.ts`) by the
// migration profile: times every statement node-postgres sends, per connection (application_name) and statement
// shape, including COPY streams until they finish, and writes the totals to $STATEMENT_TIMING_FILE at exit. It
// patches pg.Client.prototype.query in that process only, so the adapters run unmodified.
import { writeFileSync } from 'node:fs';
import pg from 'pg';

interface Totals {
  calls: number;
  ms: number;
}

const totals = new Map<string, Totals>();
const started = performance.now();

/** A statement's shape: whitespace collapsed, literals and parameter numbers kept short, first 90 characters. */
function shape(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\b\d+\b/g, 'N')
    .trim()
    .slice(0, 90);
}

function record(client: pg.Client, text: string, ms: number): void {
  const who = (client as unknown as { connectionParameters?: { application_name?: string } }).connectionParameters
    ?.application_name;
  const key = `${who ?? '?'} | ${shape(text)}`;
  const entry = totals.get(key) ?? { calls: 0, ms: 0 };
  entry.calls++;
  entry.ms += ms;
  totals.set(key, entry);
}

const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function timedQuery(this: pg.Client, ...args: unknown[]) {
  const [first] = args;
  const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '(submittable)');
  const at = performance.now();
  const result = original.apply(this, args);
  if (result instanceof Promise) {
    result.then(
      () => record(this, text, performance.now() - at),
      () => record(this, text, performance.now() - at),
    );
  } else if (result !== null && typeof result === 'object' && 'on' in result) {
    // A COPY stream: done when it finishes (FROM STDIN) or ends (TO STDOUT).
    let done = false;
    const finish = () => {
      if (!done) record(this, text, performance.now() - at);
      done = true;
    };
    const stream = result as NodeJS.EventEmitter;
    stream.on('finish', finish);
    stream.on('end', finish);
    stream.on('error', finish);
  }
  return result;
} as typeof pg.Client.prototype.query;

process.on('exit', () => {
  const file = process.env.STATEMENT_TIMING_FILE;
  if (!file) return;
  const rows = [...totals].map(([key, t]) => ({ key, calls: t.calls, ms: Math.round(t.ms) }));
  rows.sort((a, b) => b.ms - a.ms);
  const cpu = process.cpuUsage();
  writeFileSync(
    file,
    JSON.stringify({
      wall_ms: Math.round(performance.now() - started),
      cpu_user_ms: Math.round(cpu.user / 1000),
      cpu_system_ms: Math.round(cpu.system / 1000),
      statements: rows,
    }),
  );
});
