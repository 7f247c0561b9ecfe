/**
 * Checks a response body against the JSON Schema its route declares (adapters/http/schemas), so "the read path
 * answers" means "answers with the documented document", not just 200. Only the keywords those schemas use are
 * understood: type, required, properties, additionalProperties (a schema or false), items, maxItems, enum,
 * minimum, maximum, maxLength. Anything else is ignored, never guessed at.
 */
type Schema = Readonly<Record<string, unknown>>;

/** Every mismatch, as `path: problem` (at most `limit`). */
export function shapeErrors(value: unknown, schema: Schema, limit = 10): string[] {
  const errors: string[] = [];
  visit(value, schema, '$', errors, limit);
  return errors;
}

function visit(value: unknown, schema: Schema, path: string, errors: string[], limit: number): void {
  if (errors.length >= limit) return;
  const types = schema.type === undefined ? undefined : ([] as unknown[]).concat(schema.type);
  if (types !== undefined && !types.some((type) => hasType(value, type as string))) {
    errors.push(`${path}: expected ${types.join(' or ')}, got ${describe(value)}`);
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${path}: above ${schema.maximum}`);
  }
  if (typeof value === 'string' && typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) {
    errors.push(`${path}: longer than ${schema.maxLength}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
      errors.push(`${path}: more than ${schema.maxItems} items`);
    }
    if (isSchema(schema.items)) {
      for (const [index, item] of value.entries()) visit(item, schema.items, `${path}[${index}]`, errors, limit);
    }
  } else if (isObject(value)) {
    const properties = isSchema(schema.properties) ? (schema.properties as Record<string, Schema>) : {};
    for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
      if (!(name in value)) errors.push(`${path}.${name}: required, missing`);
    }
    for (const [name, member] of Object.entries(value)) {
      const memberSchema = properties[name];
      if (memberSchema !== undefined) visit(member, memberSchema, `${path}.${name}`, errors, limit);
      else if (schema.additionalProperties === false) errors.push(`${path}.${name}: not a documented member`);
      else if (isSchema(schema.additionalProperties)) {
        visit(member, schema.additionalProperties, `${path}.${name}`, errors, limit);
      }
    }
  }
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    default:
      return typeof value === type;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSchema(value: unknown): value is Schema {
  return isObject(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
