import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, type FieldViolation } from '../../../src/domain/errors.ts';
import { routeFacts } from '../route-facts.ts';

/**
 * Fastify's Ajv (configured by app.ts for every route) removes properties a schema does not declare
 * (`removeAdditional`) and coerces types (`coerceTypes`), which suits query strings but would make a JSON body
 * with `"titel"` succeed without its title, or store `true` as the text "true". Routes of this API refuse both
 * instead: this `preValidation` hook, run before Ajv sees the input, reports
 * - a body or query property the schema does not declare, where it says `additionalProperties: false`
 *   (reason `additionalProperties`, as Ajv names it), and
 * - a JSON body value whose JSON type is not one the schema allows (reason `type`; query strings are text and
 *   keep Ajv's coercion), and
 * - a string holding U+0000, in the body or the query (reason `invalid_format`): PostgreSQL text cannot store it,
 *   so it would otherwise fail as an internal error deep in a write.
 * Everything else (required, ranges, enums, formats) is left to Ajv and then to the domain's validation.
 */
export function installStrictInput(app: FastifyInstance): void {
  // A sync hook (done callback; what it throws becomes the request's error): no promise per request.
  app.addHook('preValidation', (request: FastifyRequest, _reply, done) => {
    const schema = routeFacts(request).schema as RouteSchemas | undefined;
    if (schema === undefined) return done();
    const violations: FieldViolation[] = [];
    if (schema.body !== undefined && request.body !== undefined) {
      check(schema.body as Schema, request.body, '', { types: true }, violations);
    }
    if (schema.querystring !== undefined && request.query !== undefined) {
      check(schema.querystring as Schema, request.query, '', { types: false }, violations);
    }
    if (schema.params !== undefined && request.params !== undefined) {
      check(schema.params as Schema, request.params, '', { types: false }, violations);
    }
    if (violations.length > 0) {
      throw new AppError('VALIDATION_FAILED', violations.map((v) => `${v.field} ${v.message}`).join('; '), {
        violations: violations.slice(0, 20),
      });
    }
    done();
  });
}

interface RouteSchemas {
  readonly body?: unknown;
  readonly querystring?: unknown;
  readonly params?: unknown;
}

interface Schema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly additionalProperties?: boolean | Schema;
  readonly items?: Schema;
}

const MAX_DEPTH = 8;

function check(
  schema: Schema,
  value: unknown,
  path: string,
  options: { readonly types: boolean },
  out: FieldViolation[],
  depth = 0,
): void {
  if (depth > MAX_DEPTH || out.length >= 20) return;
  if (typeof value === 'string' && value.includes('\u0000')) {
    out.push({ field: path || 'body', reason: 'invalid_format', message: 'must not contain NUL characters' });
    return;
  }
  if (options.types && schema.type !== undefined && !matchesType(schema.type, value)) {
    const types = typeof schema.type === 'string' ? schema.type : schema.type.join(', ');
    out.push({ field: path || 'body', reason: 'type', message: `must be ${types}` });
    return;
  }
  if (Array.isArray(value)) {
    if (schema.items === undefined) return;
    value.forEach((item, index) => {
      check(schema.items as Schema, item, join(path, String(index)), options, out, depth + 1);
    });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, member] of Object.entries(value)) {
    if (key.includes('\u0000')) {
      out.push({ field: path || 'body', reason: 'invalid_format', message: 'member names must not contain NUL' });
      continue;
    }
    const declared = schema.properties?.[key];
    if (declared !== undefined) {
      check(declared, member, join(path, key), options, out, depth + 1);
    } else if (schema.additionalProperties === false) {
      out.push({ field: join(path, key), reason: 'additionalProperties', message: 'is not a known field' });
    } else if (typeof schema.additionalProperties === 'object') {
      check(schema.additionalProperties, member, join(path, key), options, out, depth + 1);
    }
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function matchesType(type: string | readonly string[], value: unknown): boolean {
  const types = typeof type === 'string' ? [type] : type;
  return types.some((name) => {
    switch (name) {
      case 'null':
        return value === null;
      case 'boolean':
        return typeof value === 'boolean';
      case 'string':
        return typeof value === 'string';
      case 'integer':
        return typeof value === 'number' && Number.isInteger(value);
      case 'number':
        return typeof value === 'number';
      case 'array':
        return Array.isArray(value);
      case 'object':
        return typeof value === 'object' && value !== null && !Array.isArray(value);
      default:
        return true;
    }
  });
}
