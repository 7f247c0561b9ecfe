/**
 * Building blocks of the REST schemas: plain JSON Schema objects, shared by value (not `$ref`), because each route
 * plugin is its own encapsulated Fastify context and only the root's `Problem` schema is visible to every route.
 *
 * Conventions of every resource document (decided once, here):
 * - no envelope: a resource is the body itself, a collection is `{"<plural>": [...], "total": n}`;
 * - snake_case keys, the original's names where it had them;
 * - a field whose value is null, and an empty relation (`images`, `tags`, an empty map), is omitted, as the
 *   original did; list members of a collection are never omitted (`[]`, not `null`);
 * - timestamps are RFC 3339 in UTC with milliseconds (`2025-11-09T10:15:00.123Z`);
 * - money is a JSON number computed exactly from the stored minor units (at most 2 decimals, `10.01`, never
 *   `10.009999`); requests send numbers with at most 2 decimals, read exactly.
 */
import { problemResponse } from '../problem-schema.ts';

export const MAX_ID = Number.MAX_SAFE_INTEGER;

/** A database id: a positive integer (BIGINT ids above 2^53 cannot be represented in JSON numbers). */
export const idSchema = { type: 'integer', minimum: 1, maximum: MAX_ID } as const;

export const timestamp = {
  type: 'string',
  format: 'date-time',
  description: 'RFC 3339, UTC, with milliseconds.',
} as const;

export const money = {
  type: 'number',
  description: 'Exact decimal amount with at most 2 decimals (the database stores DECIMAL(15,2)).',
} as const;

/**
 * A price in a request: a JSON number with at most 2 decimals. It is read exactly (`10.01` is 1001 minor units,
 * through its shortest decimal text), so no string form is needed.
 */
export const moneyInput = {
  type: 'number',
  description: 'At most 2 decimals; read exactly (10.01 is 10.01, not 10.009999…).',
} as const;

/**
 * A flat attribute object. Its values are left untyped here (a JSON Schema union of four types would need Ajv's
 * `allowUnionTypes`); the domain refuses nested values with a message naming the key.
 */
export const attributeMap = {
  type: 'object',
  description:
    'A flat object: at most 100 keys of 1-100 characters; values are strings (≤ 1000 characters), numbers, ' +
    'booleans or null; at most 16 KiB as JSON.',
  additionalProperties: {},
} as const;

export const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

/** Params of `/…/:id`. */
export function idParams(name = 'id', description = 'The resource id.') {
  return {
    type: 'object',
    required: [name],
    additionalProperties: false,
    properties: { [name]: { ...idSchema, description } },
  } as const;
}

/** Params with several ids (`/listings/:id/images/:imageId`). */
export function idsParams(names: Record<string, string>) {
  return {
    type: 'object',
    required: Object.keys(names),
    additionalProperties: false,
    properties: Object.fromEntries(
      Object.entries(names).map(([name, description]) => [name, { ...idSchema, description }]),
    ),
  } as const;
}

/** An object schema of named properties that refuses others (the strict-body hook makes that an error). */
export function strictObject(
  properties: Record<string, unknown>,
  required: readonly string[] = [],
  extra: Record<string, unknown> = {},
) {
  return { type: 'object', additionalProperties: false, required: [...required], properties, ...extra };
}

export const limitQuery = (defaultValue: number, max = 100) =>
  ({ type: 'integer', minimum: 1, maximum: max, default: defaultValue, description: `Page size, 1-${max}.` }) as const;

export const offsetQuery = { type: 'integer', minimum: 0, default: 0, description: 'Rows to skip.' } as const;

/** The problem responses most routes can give, described once. */
export const problems = {
  badRequest: { 400: problemResponse('Invalid input: `violations` names each invalid field.') },
  unauthorized: { 401: problemResponse('No valid bearer token (required by this operation).') },
  forbidden: { 403: problemResponse('The caller may not do this (not the owner, or lacks the role).') },
  notFound: (what: string) => ({ 404: problemResponse(`${what} does not exist or is not visible to the caller.`) }),
  conflict: (what: string) => ({ 409: problemResponse(what) }),
  preconditionFailed: {
    412: problemResponse('`If-Match` does not name the current version: re-read the resource and retry.'),
  },
  unprocessable: { 422: problemResponse('The `Idempotency-Key` was already used with a different request body.') },
  notImplemented: (what: string) => ({ 501: problemResponse(what) }),
} as const;

/** Responses of a write that needs an identity: 400, 401, 403. */
export const writeProblems = { ...problems.badRequest, ...problems.unauthorized, ...problems.forbidden } as const;

export const idempotencyKeyHeader = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string',
      description:
        'Makes the create safe to retry: the same key and body replay the first answer (header ' +
        '`Idempotent-Replayed: true`); the same key with another body is 422. 1-255 visible ASCII characters.',
    },
  },
} as const;

export const ifMatchHeader = {
  type: 'object',
  properties: {
    'if-match': {
      type: 'string',
      description: 'The `ETag` read earlier (or `*`): the write is refused with 412 if the resource changed since.',
    },
  },
} as const;
