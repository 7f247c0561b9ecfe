import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../src/domain/errors.ts';
import { notModified, parseEntityTags } from '../conditional.ts';

/**
 * Entity tags of versioned documents (listings, products): `"v7.Xb3…"`, the row's version and a digest of the
 * document sent.
 *
 * The version alone (`"v7"`, conditional.ts's `versionEtag`) is not enough for reads: the view and favorite
 * counters and the images change the document without raising the version (they are not edits of the row), so a
 * cache revalidating `"v7"` would keep showing old images after a 304. The digest catches those; the version
 * part is what writes compare: `If-Match` takes this tag (or a bare `"v7"`, or `*`) and the update use case gets
 * version 7 as its expected version, so a counter ticking in between never fails an owner's edit.
 */
export function representationEtag(version: number, document: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(document)).digest('base64url').slice(0, 16);
  return `"v${version}.${digest}"`;
}

/**
 * Sets the ETag of `document`; answers 304 when the GET's `If-None-Match` names it (then the handler returns
 * `reply`, whose body is already sent), else returns the document to send.
 */
export function withEtag(request: FastifyRequest, reply: FastifyReply, version: number, document: unknown): unknown {
  return notModified(request, reply, representationEtag(version, document)) ? reply : document;
}

const TAG = /^"v([1-9]\d{0,15})(?:\.[A-Za-z0-9_-]*)?"$/;

/**
 * The version a write expects from `If-Match`: a number, `'any'` for `*`, undefined without the header.
 * Malformed → 400 VALIDATION_FAILED; a well-formed tag that is not one of ours (weak, foreign, several) → 412.
 */
export function ifMatchVersion(request: FastifyRequest): number | 'any' | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const tags = parseEntityTags(header);
  if (tags === undefined || tags.length === 0) {
    const message = 'If-Match must be "*" or an entity tag such as "v3"';
    throw new AppError('VALIDATION_FAILED', message, {
      violations: [{ field: 'If-Match', reason: 'malformed', message }],
    });
  }
  if (tags.length === 1 && tags[0] === '*') return 'any';
  const version = tags.length === 1 ? TAG.exec(tags[0] as string)?.[1] : undefined;
  if (version === undefined || !Number.isSafeInteger(Number(version))) {
    throw new AppError('PRECONDITION_FAILED', 'If-Match does not name the current version of this resource', {
      details: { if_match: header.slice(0, 200) },
    });
  }
  return Number(version);
}

/** `If-Match` as a use case's `expectedVersion`: `*` and no header both mean "whatever is current". */
export function expectedVersionOf(request: FastifyRequest): number | null {
  const version = ifMatchVersion(request);
  return typeof version === 'number' ? version : null;
}
