/** The pure parts of the smoke test's probes: Prometheus text, body shapes, canary tags and token subjects. */
import { describe, expect, it } from 'vitest';
import { tokenUserId } from '../../../adapters/cli/smoke-test/canary-sweep.ts';
import {
  canaryAttributes,
  canaryTitle,
  newCanaryTag,
  readCanaryTag,
} from '../../../adapters/cli/smoke-test/canary-tag.ts';
import { shapeErrors } from '../../../adapters/cli/smoke-test/json-shape.ts';
import { CORE_METRICS, parseMetricsText } from '../../../adapters/cli/smoke-test/metrics-text.ts';
import { listingPageSchema } from '../../../adapters/http/schemas/listing.ts';
import { createMetricSet } from '../../../adapters/prometheus/metric-set.ts';

describe('parseMetricsText', () => {
  it("reads the service's own exposition with every core metric declared", async () => {
    const metrics = createMetricSet();
    metrics.httpRequests.inc({ method: 'GET', path: '/a "quoted" \\ path\nx', status: '200' });
    const parsed = parseMetricsText(await metrics.registry.metrics());
    expect(parsed.errors).toEqual([]);
    for (const name of CORE_METRICS) expect(parsed.types.has(name), name).toBe(true);
    expect(parsed.types.get('listings_http_request_duration_seconds')).toBe('histogram');
    expect(parsed.samples).toBeGreaterThan(CORE_METRICS.length);
  });

  it('names the lines Prometheus would reject', () => {
    const parsed = parseMetricsText(
      ['# TYPE ok counter', 'ok 1', 'bad-name 1', 'ok{label=unquoted} 1', '# TYPE x notatype', 'ok 1 2 3'].join('\n'),
    );
    expect(parsed.errors).toEqual([
      'line 3: not a sample: bad-name 1',
      'line 4: not a sample: ok{label=unquoted} 1',
      'line 5: malformed TYPE: # TYPE x notatype',
      'line 6: not a sample: ok 1 2 3',
    ]);
    expect(parsed.samples).toBe(1);
  });
});

describe('shapeErrors', () => {
  const listing = {
    id: 1,
    uuid: 'u',
    user_id: 2,
    title: 'A bike',
    price: 10.5,
    currency: 'RSD',
    category_id: 3,
    status: 'active',
    visibility: 'public',
    quantity: 1,
    source_type: 'c2c',
    views_count: 0,
    favorites_count: 0,
    created_at: '2026-11-25T00:00:00.000Z',
    updated_at: '2026-11-25T00:00:00.000Z',
    is_deleted: false,
    attributes: {},
    version: 1,
  };

  it('accepts a page the route documents', () => {
    expect(shapeErrors({ listings: [listing], total: 1 }, listingPageSchema)).toEqual([]);
  });

  it('reports missing members, wrong types and values outside an enum, with their paths', () => {
    const { title: _title, ...untitled } = listing;
    const errors = shapeErrors(
      { listings: [untitled, { ...listing, id: 'one', status: 'gone' }], total: '2' },
      listingPageSchema,
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        '$.listings[0].title: required, missing',
        '$.listings[1].id: expected integer, got string',
        expect.stringMatching(/^\$\.listings\[1\]\.status: "gone" is not one of draft, active/),
        '$.total: expected integer, got string',
      ]),
    );
  });
});

describe('canary tags', () => {
  it('reads back the run id and expiry it wrote, and ignores other listings', () => {
    const tag = newCanaryTag(new Date('2026-11-25T10:00:00Z'), 60_000);
    expect(tag.runId).toMatch(/^[a-z]{12}$/);
    const listing = { title: canaryTitle(tag), attributes: canaryAttributes(tag) };
    expect(readCanaryTag(listing)).toEqual({ runId: tag.runId, expiresAt: new Date('2026-11-25T10:01:00Z') });
    expect(readCanaryTag({ title: 'listings smoke-test canaryish', attributes: {} })).toBeUndefined();
    expect(readCanaryTag({ title: 'A bike', attributes: canaryAttributes(tag) })).toBeUndefined();
    expect(readCanaryTag({ title: canaryTitle(tag) })).toEqual({ runId: tag.runId, expiresAt: null });
  });

  it("takes the canary owner from the token's numeric sub, refusing anything else as a usage error", () => {
    const token = (payload: object) => `h.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.s`;
    expect(tokenUserId(token({ sub: '42' }))).toBe(42);
    expect(() => tokenUserId(token({ sub: 'svc-reindex' }))).toThrow(/numeric id of the smoke-test user/);
    expect(() => tokenUserId('not-a-jwt')).toThrow(/not a JWT/);
  });
});
