import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contentEtag,
  expectedVersion,
  notModified,
  parseEntityTags,
  versionEtag,
} from '../../../adapters/http/conditional.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { appWith } from './support.ts';

const listing = { id: 1, title: 'Bike', version: 7 };

let app: FastifyInstance;
beforeAll(async () => {
  app = await appWith(async (routes) => {
    routes.get('/listings/1', async (request, reply) => {
      if (notModified(request, reply, versionEtag(listing.version))) return reply;
      return listing;
    });
    routes.put('/listings/1', async (request) => {
      const expected = expectedVersion(request);
      if (typeof expected === 'number' && expected !== listing.version) {
        throw new AppError('VERSION_CONFLICT', 'listing changed', { details: { expected, actual: listing.version } });
      }
      return { expected: expected ?? null };
    });
  });
});
afterAll(() => app.close());

describe('ETag and If-None-Match', () => {
  it('sends a strong ETag from the version and answers 304 to a matching If-None-Match', async () => {
    const first = await app.inject({ url: '/listings/1' });
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe('"v7"');
    for (const ifNoneMatch of ['"v7"', 'W/"v7"', '"v6", "v7"', '*']) {
      const again = await app.inject({ url: '/listings/1', headers: { 'if-none-match': ifNoneMatch } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe('"v7"');
    }
  });

  it('sends the body when the tag differs or the header is malformed', async () => {
    for (const ifNoneMatch of ['"v6"', 'v7', '"v7"junk']) {
      const response = await app.inject({ url: '/listings/1', headers: { 'if-none-match': ifNoneMatch } });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(listing);
    }
  });

  it('hashes bodies without a version into stable strong tags', () => {
    expect(contentEtag('{"a":1}')).toBe(contentEtag(Buffer.from('{"a":1}')));
    expect(contentEtag('{"a":1}')).not.toBe(contentEtag('{"a":2}'));
    expect(contentEtag('x')).toMatch(/^"h[A-Za-z0-9_-]{22}"$/);
  });
});

describe('If-Match', () => {
  it('parses the expected version, * and absence', async () => {
    expect((await app.inject({ method: 'PUT', url: '/listings/1', headers: { 'if-match': '"v7"' } })).json()).toEqual({
      expected: 7,
    });
    expect((await app.inject({ method: 'PUT', url: '/listings/1', headers: { 'if-match': '*' } })).json()).toEqual({
      expected: 'any',
    });
    expect((await app.inject({ method: 'PUT', url: '/listings/1' })).json()).toEqual({ expected: null });
  });

  it('maps a stale version to 412 through the use case VERSION_CONFLICT', async () => {
    const response = await app.inject({ method: 'PUT', url: '/listings/1', headers: { 'if-match': '"v6"' } });
    expect(response.statusCode).toBe(412);
    expect(response.json().code).toBe('VERSION_CONFLICT');
  });

  it('answers 400 for a malformed header, 412 for a tag that cannot be ours', async () => {
    for (const ifMatch of ['v7', '7', '"v7', '']) {
      const response = await app.inject({ method: 'PUT', url: '/listings/1', headers: { 'if-match': ifMatch } });
      expect(response.statusCode, ifMatch).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', violations: [{ field: 'If-Match' }] });
    }
    for (const ifMatch of ['W/"v7"', '"abc"', '"v0"', '"v1", "v2"', '"v99999999999999999"']) {
      const response = await app.inject({ method: 'PUT', url: '/listings/1', headers: { 'if-match': ifMatch } });
      expect(response.statusCode, ifMatch).toBe(412);
      expect(response.json().code).toBe('PRECONDITION_FAILED');
    }
  });

  it('splits entity-tag lists only between tags', () => {
    expect(parseEntityTags(' "a,b" , W/"c"')).toEqual(['"a,b"', 'W/"c"']);
    expect(parseEntityTags('"a" "b"')).toBeUndefined();
  });
});
