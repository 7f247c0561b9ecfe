import { AppError, type AppErrorOptions } from '../../src/domain/errors.ts';
import { categoryNotFound } from '../../src/domain/listing.ts';

/**
 * Turns what node-postgres, PGlite and knex throw into the error catalogue, so no driver error crosses a port.
 * The SQLSTATE and the constraint name (migrations/README.md: constraints are named so that this works) decide:
 *
 * | SQLSTATE / error                         | code                                                          |
 * |------------------------------------------|---------------------------------------------------------------|
 * | 23505 on a known unique index            | ALREADY_EXISTS with the original's reason (`products.sku_duplicate`...) |
 * | 23503 on a listing/product reference     | LISTING_NOT_FOUND / PRODUCT_NOT_FOUND; the category reference is VALIDATION_FAILED (`category not found`) |
 * | 23514 on a check of a caller-given value | VALIDATION_FAILED naming the column; checks of invariants (deleted flag, storefront ⇔ b2c, version) are INTERNAL |
 * | 22001, 22003, 22021, 22P05 (too long, out of range, NUL in text) | VALIDATION_FAILED                  |
 * | 57014 (statement timeout)                | DEADLINE_EXCEEDED                                             |
 * | class 08, 57P01-03, 53300, 28xxx, 3D000, 55000 `not currently accepting connections`, socket errors, pool timeout, closed PGlite | DEPENDENCY_UNAVAILABLE |
 * | 40001, 40P01 (retried by the unit of work first) and anything else | INTERNAL                            |
 *
 * The driver error is kept as `cause` (the unit of work finds retryable failures through it) and its SQLSTATE and
 * constraint go into `details`; its message, which may quote row values, is not the AppError's message. Nor is it
 * when the database is unavailable: knex prefixes the failed statement (`insert into ... - terminating connection`),
 * and the AppError's message reaches callers as the problem's `detail`.
 */

/** The fields node-postgres and PGlite errors carry (both come from the server's ErrorResponse). */
interface DriverError {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly constraint?: string;
  readonly table?: string;
  readonly column?: string;
  readonly detail?: string;
}

const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';

const SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '3D000']);
/** `ALTER DATABASE ... ALLOW_CONNECTIONS false` (maintenance): 55000 is otherwise a caller's or a bug's state. */
const NOT_ACCEPTING_CONNECTIONS = /is not currently accepting connections/;
const UNAVAILABLE_MESSAGES =
  /Connection terminated|not queryable|PGlite is closed|connection is closed|Unable to acquire a connection/i;

/** Unique indexes whose violation is the caller's (a duplicate key), with the reason the original returned. */
const UNIQUE_VIOLATIONS: Readonly<Record<string, { readonly reason: string; readonly message: string }>> = {
  uq_listings_storefront_sku: {
    reason: 'products.sku_duplicate',
    message: 'a product with this SKU already exists in the storefront',
  },
  uq_b2c_product_variants_product_sku: {
    reason: 'variants.sku_duplicate',
    message: 'a variant with this SKU already exists for the product',
  },
  uq_inventory_movements_rollback_order: {
    reason: 'inventory.rollback_exists',
    message: 'the stock of this order was already rolled back',
  },
};

/** Tables whose `listing_id` references `listings`: a violation means the listing is gone. */
const LISTING_CHILD_TABLES = new Set([
  'listing_images',
  'listing_attributes',
  'listing_tags',
  'listing_locations',
  'listing_stats',
  'c2c_favorites',
  'inventory_movements',
]);

/** Checks on values a caller supplies (the domain validates them first; these catch what slipped through). */
const VALUE_CHECKS: Readonly<Record<string, string>> = {
  listings_title_check: 'title',
  listings_price_check: 'price',
  listings_quantity_check: 'quantity',
  listings_status_check: 'status',
  listings_visibility_check: 'visibility',
  listings_location_privacy_check: 'location_privacy',
  listings_stock_status_check: 'stock_status',
  listings_user_id_check: 'user_id',
  listings_category_id_check: 'category_id',
  b2c_product_variants_stock_quantity_check: 'stock_quantity',
  b2c_product_variants_stock_status_check: 'stock_status',
};

/** Data exceptions caused by a caller's value (a NUL character cannot be stored in PostgreSQL text). */
const INVALID_VALUES: Readonly<Record<string, string>> = {
  '22001': 'a value is too long',
  '22003': 'a number is out of range',
  '22021': 'a text contains a character that cannot be stored (such as U+0000)',
  '22P05': 'a text contains a character that cannot be stored (such as U+0000)',
};

function driverError(error: unknown): DriverError | undefined {
  return typeof error === 'object' && error !== null ? (error as DriverError) : undefined;
}

/** The SQLSTATE of a driver error, looked up through AppError causes too. */
export function sqlStateOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const code = driverError(current)?.code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A serialization failure or a deadlock: the whole transaction may succeed when run again. */
export function isRetryableTransactionError(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state === SERIALIZATION_FAILURE || state === DEADLOCK_DETECTED;
}

/** States and messages of a connection that went away while a statement was on it (a killed backend, a failover). */
const LOST_STATES = new Set(['57P01', '57P02']);
const LOST_MESSAGES = /Connection terminated/i;

/**
 * The statement's connection was lost before its answer came: the server may or may not have run it, so only a
 * read may be sent again (on another connection).
 */
export function isLostConnection(error: unknown): boolean {
  const source = driverError(error);
  if (source === undefined) return false;
  const code = source.code ?? '';
  if (LOST_STATES.has(code) || code === 'ECONNRESET' || code === 'EPIPE' || code.startsWith('08')) return true;
  return code === '' && LOST_MESSAGES.test(source.message ?? '');
}

function isUnavailable(error: DriverError): boolean {
  const code = error.code ?? '';
  if (SOCKET_ERRORS.has(code) || UNAVAILABLE_STATES.has(code)) return true;
  if (code.startsWith('08') || code.startsWith('28')) return true;
  if (error.name === 'KnexTimeoutError') return true;
  if (code === '55000' && NOT_ACCEPTING_CONNECTIONS.test(error.message ?? '')) return true;
  return code === '' && UNAVAILABLE_MESSAGES.test(error.message ?? '');
}

function fail(code: AppError['code'], message: string, error: unknown, extra: AppErrorOptions = {}): AppError {
  const source = driverError(error);
  const details = {
    ...(source?.code === undefined ? {} : { sqlState: source.code }),
    ...(source?.constraint === undefined ? {} : { constraint: source.constraint }),
    ...extra.details,
  };
  return new AppError(code, message, { ...extra, details, cause: error });
}

function uniqueViolation(error: DriverError, original: unknown): AppError {
  const known = error.constraint === undefined ? undefined : UNIQUE_VIOLATIONS[error.constraint];
  if (known === undefined) return fail('INTERNAL', `unexpected unique violation (${error.constraint})`, original);
  // `Key (storefront_id, sku)=(3, ABC-1) already exists.`: after the owner's id comes the caller's value.
  const value = /\)=\(\d+, (.*)\) already exists/.exec(error.detail ?? '')?.[1];
  const details = known.reason.endsWith('sku_duplicate') && value !== undefined ? { sku: value } : {};
  return fail('ALREADY_EXISTS', known.message, original, { reason: known.reason, details });
}

function foreignKeyViolation(error: DriverError, original: unknown): AppError {
  if (error.constraint === 'fk_listings_category_id') {
    return fail('VALIDATION_FAILED', 'category not found', original, { violations: [categoryNotFound()] });
  }
  if (error.constraint === 'fk_b2c_product_variants_product_id') {
    return fail('PRODUCT_NOT_FOUND', 'product not found', original, { reason: 'products.not_found' });
  }
  if (error.table !== undefined && LISTING_CHILD_TABLES.has(error.table)) {
    return fail('LISTING_NOT_FOUND', 'listing not found', original);
  }
  return fail('INTERNAL', `unexpected foreign key violation (${error.constraint})`, original);
}

function checkViolation(error: DriverError, original: unknown): AppError {
  const field = error.constraint === undefined ? undefined : VALUE_CHECKS[error.constraint];
  if (field === undefined) return fail('INTERNAL', `invariant violated (${error.constraint})`, original);
  const message = `${field} is not an allowed value`;
  return fail('VALIDATION_FAILED', message, original, { violations: [{ field, reason: 'check_failed', message }] });
}

/** Any thrown value as an AppError; an AppError is returned as it is. */
export function translateDatabaseError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const source = driverError(error);
  if (source === undefined) return new AppError('INTERNAL', String(error), { cause: error });
  if (isUnavailable(source)) {
    const reason = source.code || (source.name === 'KnexTimeoutError' ? 'no free connection' : 'connection lost');
    return fail('DEPENDENCY_UNAVAILABLE', `the database is unavailable (${reason})`, error);
  }
  switch (source.code) {
    case '23505':
      return uniqueViolation(source, error);
    case '23503':
      return foreignKeyViolation(source, error);
    case '23514':
      return checkViolation(source, error);
    case '22001':
    case '22003':
    case '22021':
    case '22P05': {
      const message = INVALID_VALUES[source.code] ?? 'an invalid value';
      return fail('VALIDATION_FAILED', message, error, {
        violations: [{ field: source.column ?? '', reason: 'invalid_value', message }],
      });
    }
    case '57014':
      return fail('DEADLINE_EXCEEDED', 'the database statement was cancelled (statement timeout)', error);
    case SERIALIZATION_FAILURE:
    case DEADLOCK_DETECTED:
      return fail(
        'INTERNAL',
        'the transaction kept conflicting with concurrent ones (serialization failure or deadlock)',
        error,
      );
    default:
      return fail(
        'INTERNAL',
        source.code === undefined ? (source.message ?? 'database error') : `database error ${source.code}`,
        error,
      );
  }
}
