import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../src/domain/errors.ts';

/**
 * Conditional requests (RFC 9110 §13) on top of the resources' `version`: reads send a strong ETag and answer
 * 304 to a matching `If-None-Match`; writes take `If-Match` as the version the client read, and the use case's
 * VERSION_CONFLICT becomes 412.
 */

/** The strong ETag of a versioned resource: `"v7"`. */
export function versionEtag(version: number): string {
  return `"v${version}"`;
}

/** A strong ETag for a representation without a version (a list page): 128 bits of its SHA-256. */
export function contentEtag(body: string | Uint8Array): string {
  return `"h${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}

/**
 * Sets `ETag` and, when a GET/HEAD's `If-None-Match` matches it (weak comparison, `*` included), answers
 * 304 without a body and returns true: the handler then returns `reply` and skips serialising.
 */
export function notModified(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header('etag', etag);
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const header = request.headers['if-none-match'];
  if (header === undefined) return false;
  const tags = parseEntityTags(header);
  // A malformed If-None-Match is ignored, as RFC 9110 lets a server do: the client simply gets the body.
  if (tags === undefined) return false;
  const wanted = opaque(etag);
  if (!tags.some((tag) => tag === '*' || opaque(tag) === wanted)) return false;
  reply.code(304).send();
  return true;
}

/**
 * The version an update or delete expects, from `If-Match`: a number for `"v7"`, `'any'` for `*`, undefined
 * without the header (an unconditional write). Malformed → 400 VALIDATION_FAILED; a well-formed tag that
 * cannot be one of ours (weak, or not `"v<n>"`), or several tags → 412 PRECONDITION_FAILED, since it cannot
 * match the current version.
 */
export function expectedVersion(request: FastifyRequest): number | 'any' | undefined {
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
  const version = tags.length === 1 ? /^"v([1-9]\d{0,15})"$/.exec(tags[0] as string)?.[1] : undefined;
  if (version === undefined || !Number.isSafeInteger(Number(version))) {
    throw new AppError('PRECONDITION_FAILED', 'If-Match does not name the current version of this resource', {
      details: { if_match: header.slice(0, 200) },
    });
  }
  return Number(version);
}

/** One list member: an entity tag (commas may appear inside its quotes), then a comma or the end. */
const LIST_MEMBER = /[ \t]*((?:W\/)?"[\x21\x23-\x7e\x80-\xff]*")[ \t]*(,|$)/y;

/** The tags of an If-Match / If-None-Match list (`*` kept as is), or undefined when the list is malformed. */
export function parseEntityTags(header: string): string[] | undefined {
  if (header.trim() === '*') return ['*'];
  const tags: string[] = [];
  LIST_MEMBER.lastIndex = 0;
  for (;;) {
    const member = LIST_MEMBER.exec(header);
    if (member === null) return undefined;
    tags.push(member[1] as string);
    if (member[2] === '') return tags;
  }
}

/** The tag without its weakness marker, for weak comparison. */
function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}
