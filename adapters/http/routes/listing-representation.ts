import type { FastifyReply } from 'fastify';
import type { ListingDetails } from '../../../src/domain/listing.ts';
import { listingJson } from '../json/listing.ts';
import { representationEtag } from './representation-etag.ts';

/** A listing as GET sends it: the serialised body and its entity tag. */
export interface ListingRepresentation {
  readonly etag: string;
  /** What the route's serializer made of the document (a string for JSON schemas). */
  readonly body: ReturnType<FastifyReply['serialize']>;
}

/**
 * Rendered once per immutable listing object. The listing cache hands every reader the same deep-frozen object for
 * as long as its entry is unchanged (src/shared/fenced-cache.ts), so the mapping, the response schema's serializer
 * and the ETag digest run once per cache fill instead of once per hit; a changed listing is a new object, and a
 * dropped one takes its rendering with it (weak keys). A listing that is not frozen (loaded just now, or with the
 * cache off) could still change, so it is rendered every time and never kept.
 */
const rendered = new WeakMap<ListingDetails, ListingRepresentation>();

/** `reply` serialises with its route's response schema for 200, exactly as returning the document would. */
export function listingRepresentation(listing: ListingDetails, reply: FastifyReply): ListingRepresentation {
  const kept = rendered.get(listing);
  if (kept !== undefined) return kept;
  const document = listingJson(listing);
  const representation = { etag: representationEtag(listing.version, document), body: reply.serialize(document) };
  if (Object.isFrozen(listing)) rendered.set(listing, representation);
  return representation;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
