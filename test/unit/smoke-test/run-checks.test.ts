/** How checks are run: deadlines, retries, sequences that stop, skips, the verdict and the JUnit report. */
import { describe, expect, it } from 'vitest';
import { type Check, CheckFailure, CheckSkipped } from '../../../adapters/cli/smoke-test/check.ts';
import { junitXml, type SmokeReport, summaryOf, verdictOf } from '../../../adapters/cli/smoke-test/report.ts';
import { runChecks } from '../../../adapters/cli/smoke-test/run-checks.ts';

const base = { timeoutMs: 1_000, retries: 0, retryPauseMs: 1, stopOnFailure: false };
const check = (name: string, run: Check['run'], retryable = false): Check => ({ name, retryable, run });
const pass = (name: string) => check(name, async () => ({ message: 'ok' }));
const fail = (name: string, kind: CheckFailure['kind'] = 'failed') =>
  check(name, async () => {
    throw new CheckFailure(kind, `${name} broke`);
  });

describe('runChecks', () => {
  it('fails a check that ignores its deadline, on time, as unreachable', async () => {
    const hangs = check('hangs', () => new Promise(() => {}));
    const [result] = await runChecks([hangs], { ...base, timeoutMs: 50, signal: new AbortController().signal });
    expect(result).toMatchObject({
      name: 'hangs',
      status: 'failed',
      kind: 'unreachable',
      message: 'no answer within 50 ms',
    });
  });

  it('retries retryable checks only, and counts the attempts', async () => {
    let calls = 0;
    const flaky = check(
      'flaky',
      async () => {
        calls++;
        if (calls < 3) throw new CheckFailure('unreachable', 'starting');
        return { message: 'up' };
      },
      true,
    );
    const signal = new AbortController().signal;
    const [retried] = await runChecks([flaky], { ...base, retries: 2, signal });
    expect(retried).toMatchObject({ status: 'passed', attempts: 3 });
    const [once] = await runChecks([fail('write')], { ...base, retries: 2, signal });
    expect(once).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('stops a sequence at its first failure and reports the rest as not run; skips are not failures', async () => {
    const skipped = check('no-search', async () => {
      throw new CheckSkipped('search is not configured');
    });
    const results = await runChecks([pass('a'), skipped, fail('b'), pass('c')], {
      ...base,
      stopOnFailure: true,
      signal: new AbortController().signal,
    });
    expect(results.map((r) => [r.name, r.status, r.message])).toEqual([
      ['a', 'passed', 'ok'],
      ['no-search', 'skipped', 'search is not configured'],
      ['b', 'failed', 'b broke'],
      ['c', 'skipped', 'not run: b failed'],
    ]);
  });

  it('ends the check in flight and runs no other once the run is aborted (deadline, SIGINT)', async () => {
    const run = new AbortController();
    const aborting = check('slow', () => {
      setTimeout(() => run.abort('the overall deadline of 1 s passed'), 10);
      return new Promise(() => {});
    });
    const results = await runChecks([aborting, pass('next')], { ...base, signal: run.signal });
    expect(results.map((r) => [r.name, r.status, r.message])).toEqual([
      ['slow', 'failed', 'the overall deadline of 1 s passed'],
      ['next', 'skipped', 'not run: the overall deadline of 1 s passed'],
    ]);
  });
});

describe('verdict and reports', () => {
  it('ranks interruption, then unreachable, then a refused token, then a failed check', async () => {
    const signal = new AbortController().signal;
    const results = await runChecks([fail('a'), fail('b', 'auth'), fail('c', 'unreachable')], { ...base, signal });
    expect(verdictOf(results, true)).toBe('interrupted');
    expect(verdictOf(results, false)).toBe('unreachable');
    expect(verdictOf(results.slice(0, 2), false)).toBe('auth');
    expect(verdictOf(results.slice(0, 1), false)).toBe('failed');
    expect(verdictOf([], false)).toBe('passed');
  });

  it('writes JUnit XML with one testcase per check, escaped', async () => {
    const results = await runChecks([pass('a'), fail('<b & "c">')], { ...base, signal: new AbortController().signal });
    const report: SmokeReport = {
      verdict: 'failed',
      exitCode: 1,
      target: { http: 'http://x/', grpc: 'x:1' },
      startedAt: '2026-11-25T00:00:00.000Z',
      durationMs: 1500,
      summary: summaryOf(results),
      checks: results,
    };
    const xml = junitXml(report);
    expect(xml).toContain('tests="2" failures="1" skipped="0" time="1.500"');
    expect(xml).toContain('name="&lt;b &amp; &quot;c&quot;&gt;"');
    expect(xml).toContain('<failure message="&lt;b &amp; &quot;c&quot;&gt; broke" type="failed"/>');
  });
});
