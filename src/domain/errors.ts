/**
 * The one catalogue of errors the core can raise.
 *
 * Every failure a caller can see has a stable `code` from this list. The code is the contract:
 * REST puts it in `application/problem+json`, gRPC in `google.rpc.ErrorInfo`, the CLI in its one-line
 * message. How a code maps to an HTTP status, a gRPC status or an exit code is decided at those edges
 * (adapters/http, adapters/grpc, adapters/cli), never here.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: 'The request has invalid fields.',
  LISTING_NOT_FOUND: 'The listing does not exist or was deleted.',
  PRODUCT_NOT_FOUND: 'The product does not exist, was deleted, or belongs to another storefront.',
  VARIANT_NOT_FOUND: 'The product variant does not exist or belongs to another product.',
  IMAGE_NOT_FOUND: 'The image does not exist.',
  OBJECT_NOT_FOUND: 'The stored object (file, image, backup) does not exist.',
  CATEGORY_NOT_FOUND: 'The category does not exist or is inactive.',
  STOREFRONT_NOT_FOUND: 'The storefront does not exist.',
  ALREADY_EXISTS: 'A resource with the same unique key already exists (for example a SKU).',
  VERSION_CONFLICT: 'The resource changed since it was read; re-read it and retry with the new version.',
  INVALID_STATE: 'The operation is not allowed in the current state (for example a forbidden status change).',
  INSUFFICIENT_STOCK: 'Not enough stock for the requested quantity.',
  IDEMPOTENCY_KEY_REUSED: 'The idempotency key was already used with a different request.',
  UNAUTHENTICATED: 'No valid credentials were presented.',
  PERMISSION_DENIED: 'The caller may not perform this operation on this resource.',
  RATE_LIMITED: 'Too many requests; retry after the indicated delay.',
  DEADLINE_EXCEEDED: 'The operation did not finish within its deadline.',
  PAYLOAD_TOO_LARGE: 'The request body or uploaded file is larger than allowed.',
  HEADERS_TOO_LARGE: 'The request line and headers are larger than the server accepts.',
  REQUEST_TIMEOUT: 'The request was not received in full within the time the server waits for it.',
  UNSUPPORTED_MEDIA_TYPE: 'The content type is not accepted.',
  DEPENDENCY_UNAVAILABLE: 'A server this operation needs is unreachable or refused the credentials.',
  PRECONDITION_FAILED: 'A precondition of the operation does not hold (lock held by another run, schema version).',
  CONFIG_INVALID: 'The configuration is invalid.',
  USAGE_INVALID: 'The command was called with invalid arguments.',
  CHECK_FAILED: 'A check found a difference or drift.',
  COMPLETED_WITH_PROBLEMS: 'The operation completed, but some items failed.',
  ROUTE_NOT_FOUND: 'No route matches the requested path.',
  METHOD_NOT_ALLOWED: 'The route exists but does not accept this method.',
  NOT_IMPLEMENTED: 'This capability is not implemented yet.',
  INTERRUPTED: 'The operation was interrupted.',
  INTERNAL: 'An unexpected error occurred.',
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** One invalid field: `field` uses the caller's (snake_case) field path, `reason` a stable machine word. */
export interface FieldViolation {
  readonly field: string;
  readonly reason: string;
  readonly message: string;
}

export interface AppErrorOptions {
  /** Field-level problems, for VALIDATION_FAILED. */
  readonly violations?: readonly FieldViolation[];
  /**
   * The machine-readable reason the original API returned verbatim (e.g. `products.sku_duplicate`),
   * kept so existing gRPC callers that match on it keep working.
   */
  readonly reason?: string;
  /** For RATE_LIMITED: how long the caller should wait, in milliseconds. */
  readonly retryAfterMs?: number;
  /** Extra, non-sensitive facts for logs and machine output (ids, versions). */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly violations: readonly FieldViolation[];
  readonly reason: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message?: string, options: AppErrorOptions = {}) {
    super(message ?? ERROR_CATALOGUE[code], options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.violations = options.violations ?? [];
    this.reason = options.reason;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details ?? {};
  }

  /** The catalogue's human title for this error's code. */
  get title(): string {
    return ERROR_CATALOGUE[this.code];
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Wraps anything thrown into an AppError, keeping AppErrors as they are. */
export function toAppError(value: unknown): AppError {
  if (value instanceof AppError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new AppError('INTERNAL', message, { cause: value });
}

export function validationError(violations: readonly FieldViolation[], message?: string): AppError {
  const text = message ?? violations.map((v) => v.message).join('; ');
  return new AppError('VALIDATION_FAILED', text, { violations });
}
