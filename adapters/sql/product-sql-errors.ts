/**
 * Driver errors of the product and inventory repositories → the error catalogue, so no driver error crosses their
 * ports. A violation of a named constraint (migrations name them for this) becomes the caller-facing error of its
 * table; an unreachable database becomes DEPENDENCY_UNAVAILABLE; anything else INTERNAL.
 *
 * Serialization failures and deadlocks (SQLSTATE 40001, 40P01) become INTERNAL with `details.sqlState` and the
 * driver error as `cause`, so a unit of work can still recognise them and retry.
 *
 * Written here because the shared `error-translation.ts` did not exist yet when these repositories were written.
 */
import { AppError } from '../../src/domain/errors.ts';

/** The fields node-postgres and PGlite errors share. */
export interface DatabaseError {
  readonly code?: string;
  readonly constraint?: string;
  readonly detail?: string;
  readonly message?: string;
}

export type ConstraintTranslations = Readonly<Record<string, (error: DatabaseError) => AppError>>;

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

function asDatabaseError(value: unknown): DatabaseError {
  return typeof value === 'object' && value !== null ? (value as DatabaseError) : {};
}

function unreachable(error: DatabaseError, value: unknown): boolean {
  const code = error.code ?? '';
  if (CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08')) return true;
  // knex's pool: "Knex: Timeout acquiring a connection. The pool is probably full."
  return value instanceof Error && value.name === 'KnexTimeoutError';
}

/** Translates whatever a query threw; AppErrors pass through unchanged. */
export function translateDatabaseError(value: unknown, constraints: ConstraintTranslations = {}): AppError {
  if (value instanceof AppError) return value;
  const error = asDatabaseError(value);
  const byConstraint = error.constraint === undefined ? undefined : constraints[error.constraint];
  if (byConstraint) return byConstraint(error);
  if (unreachable(error, value)) {
    return new AppError('DEPENDENCY_UNAVAILABLE', `database unavailable: ${error.message ?? String(value)}`, {
      cause: value,
    });
  }
  const sqlState = typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code) ? error.code : undefined;
  return new AppError('INTERNAL', `database error: ${error.message ?? String(value)}`, {
    cause: value,
    ...(sqlState === undefined ? {} : { details: { sqlState, constraint: error.constraint ?? null } }),
  });
}

/**
 * The value of the last key column in a unique violation's detail: `Key (storefront_id, sku)=(3, A-1) already
 * exists.` → `A-1`. Undefined when the detail has another shape.
 */
export function duplicateKeyValue(error: DatabaseError): string | undefined {
  const match = /^Key \((.+)\)=\((.*)\) already exists\.?$/.exec(error.detail ?? '');
  if (!match) return undefined;
  const columns = (match[1] as string).split(', ').length;
  // Leading columns are ids (no commas); whatever follows them is the last column's text.
  const values = (match[2] as string).split(', ');
  return values.slice(columns - 1).join(', ');
}

/** Runs `work`, translating anything it throws. */
export async function translatingErrors<T>(work: () => Promise<T>, constraints?: ConstraintTranslations): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateDatabaseError(error, constraints);
  }
}
