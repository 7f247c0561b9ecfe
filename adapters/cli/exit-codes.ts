import type { ErrorCode } from '../../src/domain/errors.ts';

/**
 * Exit codes shared by every `listings` command (documented in the README). Scripts branch on them,
 * so they never change meaning.
 */
export const EXIT = {
  OK: 0,
  /** A check failed, a difference or drift was found, or an unexpected error occurred. */
  CHECK_FAILED: 1,
  /** Usage or configuration error. */
  USAGE: 2,
  /** A server is unreachable, or refused our credentials. */
  UNAVAILABLE: 3,
  /** A precondition failed: lock held by another run, schema not at the expected version. */
  PRECONDITION: 4,
  /** Completed, but with problems, under --strict. */
  PROBLEMS: 5,
  /** Interrupted (SIGINT). */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code of each catalogue code: decided here, at the CLI edge, and nowhere else. */
export const EXIT_CODE: Record<ErrorCode, ExitCode> = {
  VALIDATION_FAILED: EXIT.USAGE,
  LISTING_NOT_FOUND: EXIT.CHECK_FAILED,
  PRODUCT_NOT_FOUND: EXIT.CHECK_FAILED,
  VARIANT_NOT_FOUND: EXIT.CHECK_FAILED,
  IMAGE_NOT_FOUND: EXIT.CHECK_FAILED,
  OBJECT_NOT_FOUND: EXIT.CHECK_FAILED,
  CATEGORY_NOT_FOUND: EXIT.CHECK_FAILED,
  STOREFRONT_NOT_FOUND: EXIT.CHECK_FAILED,
  ALREADY_EXISTS: EXIT.CHECK_FAILED,
  VERSION_CONFLICT: EXIT.PRECONDITION,
  INVALID_STATE: EXIT.PRECONDITION,
  INSUFFICIENT_STOCK: EXIT.PRECONDITION,
  IDEMPOTENCY_KEY_REUSED: EXIT.PRECONDITION,
  UNAUTHENTICATED: EXIT.UNAVAILABLE,
  PERMISSION_DENIED: EXIT.UNAVAILABLE,
  RATE_LIMITED: EXIT.UNAVAILABLE,
  DEADLINE_EXCEEDED: EXIT.UNAVAILABLE,
  PAYLOAD_TOO_LARGE: EXIT.USAGE,
  HEADERS_TOO_LARGE: EXIT.USAGE,
  REQUEST_TIMEOUT: EXIT.UNAVAILABLE,
  UNSUPPORTED_MEDIA_TYPE: EXIT.USAGE,
  DEPENDENCY_UNAVAILABLE: EXIT.UNAVAILABLE,
  PRECONDITION_FAILED: EXIT.PRECONDITION,
  CONFIG_INVALID: EXIT.USAGE,
  USAGE_INVALID: EXIT.USAGE,
  CHECK_FAILED: EXIT.CHECK_FAILED,
  COMPLETED_WITH_PROBLEMS: EXIT.PROBLEMS,
  ROUTE_NOT_FOUND: EXIT.USAGE,
  METHOD_NOT_ALLOWED: EXIT.USAGE,
  NOT_IMPLEMENTED: EXIT.USAGE,
  INTERRUPTED: EXIT.INTERRUPTED,
  INTERNAL: EXIT.CHECK_FAILED,
};

export const EXIT_CODES_HELP = `
Exit codes (shared by every command):
  0    success
  1    a check failed, a difference or drift was found, or an unexpected error
  2    usage or configuration error
  3    a server is unreachable or authentication failed
  4    precondition failed (lock held by another run, schema not at the expected version)
  5    completed with problems, under --strict
  130  interrupted`;
