/**
 * A structural check of an OpenAPI 3.1 document: the rules a generator is likely to break (versions, response
 * keys, descriptions, path parameters, dangling `$ref`s, unknown security schemes, duplicate operationIds).
 * Not a full validator of the specification's schema; it returns every problem found, empty when none.
 */
type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const RESPONSE_KEY = /^(default|[1-5]XX|[1-5]\d\d)$/;

export function openApiProblems(document: Json): string[] {
  const problems: string[] = [];
  if (typeof document.openapi !== 'string' || !/^3\.1\.\d+$/.test(document.openapi))
    problems.push('openapi is not 3.1.x');
  const info = document.info as Json | undefined;
  if (typeof info?.title !== 'string' || typeof info.version !== 'string') problems.push('info.title/version missing');
  const schemes = ((document.components as Json | undefined)?.securitySchemes ?? {}) as Json;
  const operationIds = new Set<string>();

  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, Json>)) {
    if (!path.startsWith('/')) problems.push(`path ${path} does not start with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, operation] of Object.entries(item)) {
      const at = `${method.toUpperCase()} ${path}`;
      if (!METHODS.includes(method)) {
        if (method !== 'parameters' && method !== 'summary' && method !== 'description')
          problems.push(`${at}: unknown key`);
        continue;
      }
      const op = operation as Json;
      const responses = op.responses as Record<string, Json> | undefined;
      if (!responses || Object.keys(responses).length === 0) problems.push(`${at}: no responses`);
      for (const [status, response] of Object.entries(responses ?? {})) {
        if (!RESPONSE_KEY.test(status)) problems.push(`${at}: response key ${status}`);
        if (typeof response.description !== 'string') problems.push(`${at}: response ${status} has no description`);
      }
      const parameters = (op.parameters ?? []) as Json[];
      for (const name of templated) {
        const declared = parameters.find((p) => p.in === 'path' && p.name === name);
        if (declared?.required !== true) problems.push(`${at}: path parameter ${name} not declared as required`);
      }
      for (const parameter of parameters) {
        if (!['path', 'query', 'header', 'cookie'].includes(String(parameter.in))) problems.push(`${at}: parameter in`);
        if (parameter.schema === undefined && parameter.content === undefined) problems.push(`${at}: parameter schema`);
      }
      for (const requirement of (op.security ?? []) as Json[]) {
        for (const scheme of Object.keys(requirement))
          if (!(scheme in schemes)) problems.push(`${at}: scheme ${scheme}`);
      }
      if (typeof op.operationId === 'string') {
        if (operationIds.has(op.operationId)) problems.push(`duplicate operationId ${op.operationId}`);
        operationIds.add(op.operationId);
      }
    }
  }
  for (const ref of refsIn(document)) {
    if (!ref.startsWith('#/') || resolve(document, ref) === undefined) problems.push(`dangling $ref ${ref}`);
  }
  return problems;
}

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) {
      if (key === '$ref' && typeof member === 'string') found.push(member);
      else refsIn(member, found);
    }
  }
  return found;
}

function resolve(document: Json, ref: string): unknown {
  let node: unknown = document;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replaceAll('~1', '/').replaceAll('~0', '~');
    node = node !== null && typeof node === 'object' ? (node as Json)[key] : undefined;
  }
  return node;
}
