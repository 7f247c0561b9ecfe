import { status as Status } from '@grpc/grpc-js';
import type { ErrorCode } from '../../src/domain/errors.ts';

/**
 * The gRPC status of each catalogue code: decided here, at the gRPC edge, and nowhere else. A `Record` so that a
 * new catalogue code fails the typecheck until it is mapped.
 */
export const GRPC_STATUS: Record<ErrorCode, Status> = {
  VALIDATION_FAILED: Status.INVALID_ARGUMENT,
  LISTING_NOT_FOUND: Status.NOT_FOUND,
  PRODUCT_NOT_FOUND: Status.NOT_FOUND,
  VARIANT_NOT_FOUND: Status.NOT_FOUND,
  IMAGE_NOT_FOUND: Status.NOT_FOUND,
  OBJECT_NOT_FOUND: Status.NOT_FOUND,
  CATEGORY_NOT_FOUND: Status.NOT_FOUND,
  STOREFRONT_NOT_FOUND: Status.NOT_FOUND,
  ALREADY_EXISTS: Status.ALREADY_EXISTS,
  VERSION_CONFLICT: Status.ABORTED,
  INVALID_STATE: Status.FAILED_PRECONDITION,
  INSUFFICIENT_STOCK: Status.FAILED_PRECONDITION,
  // Not ALREADY_EXISTS: callers already branch on that code for duplicate SKUs; a reused key is a caller
  // mistake that retrying will not fix, which is what FAILED_PRECONDITION says. ErrorInfo.reason tells them apart.
  IDEMPOTENCY_KEY_REUSED: Status.FAILED_PRECONDITION,
  UNAUTHENTICATED: Status.UNAUTHENTICATED,
  PERMISSION_DENIED: Status.PERMISSION_DENIED,
  RATE_LIMITED: Status.RESOURCE_EXHAUSTED,
  DEADLINE_EXCEEDED: Status.DEADLINE_EXCEEDED,
  // grpc-js itself answers RESOURCE_EXHAUSTED for a message over the receive limit; stay consistent with it.
  PAYLOAD_TOO_LARGE: Status.RESOURCE_EXHAUSTED,
  HEADERS_TOO_LARGE: Status.RESOURCE_EXHAUSTED,
  REQUEST_TIMEOUT: Status.DEADLINE_EXCEEDED,
  UNSUPPORTED_MEDIA_TYPE: Status.INVALID_ARGUMENT,
  DEPENDENCY_UNAVAILABLE: Status.UNAVAILABLE,
  PRECONDITION_FAILED: Status.FAILED_PRECONDITION,
  CONFIG_INVALID: Status.INTERNAL,
  USAGE_INVALID: Status.INVALID_ARGUMENT,
  CHECK_FAILED: Status.INTERNAL,
  COMPLETED_WITH_PROBLEMS: Status.INTERNAL,
  ROUTE_NOT_FOUND: Status.NOT_FOUND,
  METHOD_NOT_ALLOWED: Status.UNIMPLEMENTED,
  NOT_IMPLEMENTED: Status.UNIMPLEMENTED,
  // The server is stopping: the call may succeed on another instance, so the retryable code.
  INTERRUPTED: Status.UNAVAILABLE,
  INTERNAL: Status.INTERNAL,
};

/** Go's `codes.Code.String()` names, which the original used as the `status` metric label (OK is `success`). */
const STATUS_NAMES: Record<Status, string> = {
  [Status.OK]: 'success',
  [Status.CANCELLED]: 'Canceled',
  [Status.UNKNOWN]: 'Unknown',
  [Status.INVALID_ARGUMENT]: 'InvalidArgument',
  [Status.DEADLINE_EXCEEDED]: 'DeadlineExceeded',
  [Status.NOT_FOUND]: 'NotFound',
  [Status.ALREADY_EXISTS]: 'AlreadyExists',
  [Status.PERMISSION_DENIED]: 'PermissionDenied',
  [Status.RESOURCE_EXHAUSTED]: 'ResourceExhausted',
  [Status.FAILED_PRECONDITION]: 'FailedPrecondition',
  [Status.ABORTED]: 'Aborted',
  [Status.OUT_OF_RANGE]: 'OutOfRange',
  [Status.UNIMPLEMENTED]: 'Unimplemented',
  [Status.INTERNAL]: 'Internal',
  [Status.UNAVAILABLE]: 'Unavailable',
  [Status.DATA_LOSS]: 'DataLoss',
  [Status.UNAUTHENTICATED]: 'Unauthenticated',
};

/** The metric/log name of a status: `success` for OK, else the Go code name (`InvalidArgument`, `NotFound`...). */
export function statusName(code: Status): string {
  return STATUS_NAMES[code] ?? `Code(${code})`;
}
