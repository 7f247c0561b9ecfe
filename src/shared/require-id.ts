import { checkEntityId, type IdEntity, Violations } from '../domain/validation.ts';

/** Validates one id field (`listing ID must be greater than 0`) and returns it. */
export function requireId(field: string, entity: IdEntity, value: unknown): number {
  const v = new Violations();
  const id = checkEntityId(v, field, entity, value);
  v.throwIfAny();
  return id!;
}
