/**
 * Judges one response against its operation in /openapi.json: no 5xx unless the operation documents that exact
 * 501/503, a body only as JSON or problem+json, and a body that validates (Ajv, JSON Schema 2020-12 as OpenAPI 3.1
 * uses) against the schema of the documented status (exact, then `4XX`-style range, then `default`).
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';
import type { Schema } from './schema-arbitrary.ts';

export interface MediaType {
  readonly schema?: Schema;
}
export interface ResponseDoc {
  readonly description: string;
  readonly content?: Readonly<Record<string, MediaType>>;
}
export interface Operation {
  readonly operationId?: string;
  readonly parameters?: readonly { in: string; name: string; required?: boolean; schema: Schema }[];
  readonly requestBody?: { readonly content: Readonly<Record<string, MediaType>> };
  readonly responses: Readonly<Record<string, ResponseDoc>>;
}
export interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  readonly components: { readonly schemas: Readonly<Record<string, Schema>> };
}

const DOCUMENT_ID = 'https://listings.test/openapi.json';
const BODY_TYPES = ['application/json', 'application/problem+json'];

/** Compiles response schemas once each, with `#/components/...` resolved against the whole document. */
export class ResponseChecker {
  readonly #ajv: Ajv2020;
  readonly #compiled = new Map<Schema, ValidateFunction>();

  constructor(document: OpenApiDocument) {
    this.#ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
    addFormats.default(this.#ajv);
    this.#ajv.addSchema({ $id: DOCUMENT_ID, components: document.components });
  }

  /** The problems with `response` to `operation`, empty when it is as documented; `body` replaces the parsed body. */
  problems(operation: Operation, response: LightMyRequestResponse, body?: unknown): string[] {
    const status = response.statusCode;
    const contentType = String(response.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim();
    const problems: string[] = [];
    if (status >= 500 && !((status === 501 || status === 503) && operation.responses[String(status)]))
      problems.push(`server error ${status}`);
    if (response.body.length > 0 && !BODY_TYPES.includes(contentType ?? ''))
      problems.push(`content-type ${contentType}`);
    const documented =
      operation.responses[String(status)] ??
      operation.responses[`${String(status)[0]}XX`] ??
      operation.responses.default;
    if (documented === undefined) return [...problems, `status ${status} not documented`];
    if (documented.content === undefined) {
      if (response.body.length > 0 && status !== 304) problems.push(`status ${status} documents no body but has one`);
      return problems;
    }
    const media = documented.content[contentType ?? ''];
    if (media === undefined) return [...problems, `status ${status} does not document ${contentType}`];
    if (media.schema === undefined) return problems;
    let json = body;
    try {
      json ??= JSON.parse(response.body);
    } catch {
      return [...problems, `body is not JSON: ${response.body.slice(0, 100)}`];
    }
    const validate = this.#validator(media.schema);
    if (!validate(json)) problems.push(`schema of ${status}: ${this.#ajv.errorsText(validate.errors)}`);
    return problems;
  }

  #validator(schema: Schema): ValidateFunction {
    let validate = this.#compiled.get(schema);
    if (validate === undefined) {
      const anchored = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`));
      validate = this.#ajv.compile(anchored);
      this.#compiled.set(schema, validate);
    }
    return validate;
  }
}
