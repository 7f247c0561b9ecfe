import type { FastifyInstance } from 'fastify';
import { ERROR_CODES } from '../../src/domain/errors.ts';
import { PROBLEM_CONTENT_TYPE } from './problem.ts';

/**
 * The `Problem` document of `problem.ts` as a shared JSON Schema (`$id: 'Problem'`), so routes reference it as
 * `{ $ref: 'Problem#' }` and OpenAPI lists it once under `components.schemas`.
 */
export const PROBLEM_SCHEMA = {
  $id: 'Problem',
  title: 'Problem',
  description: 'An RFC 9457 problem document, with the stable catalogue `code` and per-field `violations`.',
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string', format: 'uri', description: 'Identifies the problem type; one per catalogue code.' },
    title: { type: 'string', description: 'The catalogue title of `code`; the same for every occurrence.' },
    status: { type: 'integer', minimum: 100, maximum: 599 },
    code: { type: 'string', enum: ERROR_CODES, description: 'Stable machine-readable code: match on this.' },
    detail: { type: 'string', description: 'What went wrong this time; omitted for internal errors.' },
    instance: { type: 'string', description: 'The request path and query.' },
    request_id: { type: 'string', description: 'Also sent as `X-Request-Id`; quote it when reporting a problem.' },
    violations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'reason', 'message'],
        properties: {
          field: { type: 'string', description: 'snake_case path of the invalid field, e.g. `images.0.url`.' },
          reason: { type: 'string', description: 'Stable machine word, e.g. `required`, `minLength`.' },
          message: { type: 'string' },
        },
      },
    },
  },
} as const;

/** Registers the shared schemas on the root instance; route schemas anywhere may then `$ref` them. */
export function addSharedSchemas(app: FastifyInstance): void {
  app.addSchema(PROBLEM_SCHEMA);
}

/**
 * A response entry for a route's `schema.response`, e.g. `{ 200: ..., 404: problemResponse('No such listing') }`.
 * Fastify then also serialises that status with the Problem schema, and OpenAPI shows it as
 * `application/problem+json`.
 */
export function problemResponse(description: string) {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: 'Problem#' } } } };
}

/**
 * What every operation may answer besides its own responses; the OpenAPI document adds these to each route,
 * so a route declares only the statuses it wants to describe specifically.
 */
export const DEFAULT_PROBLEM_RESPONSES = {
  '4xx': problemResponse('The request was refused; `code` says why.'),
  '5xx': problemResponse('The server failed or a dependency is unavailable; `code` says which.'),
} as const;
