/**
 * AppError → gRPC status with google.rpc rich details in the `grpc-status-details-bin` trailer, and the reverse
 * decoding for clients and tests.
 *
 * The status message stays what the original sent (§3.4): for product/variant/inventory errors that is the dotted
 * reason (`products.not_found`), so when an AppError has a `reason` it becomes the message and the human text moves
 * to ErrorInfo metadata `message`. ErrorInfo.reason is always the catalogue code, ErrorInfo.domain `listings.v1`.
 */
import { Metadata, type ServiceError, status as Status } from '@grpc/grpc-js';
import { type AppError, isAppError } from '../../src/domain/errors.ts';
import {
  type AnyMessage,
  decodeBadRequest,
  decodeErrorInfo,
  decodeRetryInfo,
  decodeStatus,
  encodeBadRequest,
  encodeErrorInfo,
  encodeRetryInfo,
  encodeStatus,
  type FieldViolation,
  TYPE_URL,
} from './google-rpc.ts';
import { GRPC_STATUS } from './status-codes.ts';

export const ERROR_DOMAIN = 'listings.v1';
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';
/** What a caller sees for a failure we did not anticipate: nothing about its cause. */
export const INTERNAL_MESSAGE = 'internal error';

/**
 * True for failures the core did not describe: anything that is not an AppError, and an INTERNAL AppError that
 * merely repeats a foreign error's message (what `toAppError` builds), whose text may carry driver details.
 */
export function isUnexpectedError(error: unknown): boolean {
  if (!isAppError(error)) return true;
  return error.code === 'INTERNAL' && error.cause instanceof Error && error.cause.message === error.message;
}

function errorInfoMetadata(error: AppError): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(error.details)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      metadata[key] = String(value);
    }
  }
  if (error.reason !== undefined) {
    metadata.legacy_reason = error.reason;
    metadata.message = error.message;
  }
  return metadata;
}

function detailsOf(error: AppError): AnyMessage[] {
  const details: AnyMessage[] = [
    {
      typeUrl: TYPE_URL.errorInfo,
      value: encodeErrorInfo({ reason: error.code, domain: ERROR_DOMAIN, metadata: errorInfoMetadata(error) }),
    },
  ];
  if (error.violations.length > 0) {
    const violations = error.violations.map((v) => ({ field: v.field, description: v.message, reason: v.reason }));
    details.push({ typeUrl: TYPE_URL.badRequest, value: encodeBadRequest(violations) });
  }
  if (error.retryAfterMs !== undefined) {
    details.push({ typeUrl: TYPE_URL.retryInfo, value: encodeRetryInfo(error.retryAfterMs) });
  }
  return details;
}

/** The gRPC status code `toServiceError` gives `error`. */
export function grpcStatusOf(error: unknown): Status {
  return isUnexpectedError(error) ? Status.INTERNAL : GRPC_STATUS[(error as AppError).code];
}

/** Builds the error grpc-js sends: `code`, `details` (the status message) and trailers with the rich details. */
export function toServiceError(error: unknown): ServiceError {
  const unexpected = isUnexpectedError(error);
  const code = grpcStatusOf(error);
  const appError = error as AppError;
  const message = unexpected ? INTERNAL_MESSAGE : (appError.reason ?? appError.message);
  const details = unexpected
    ? [
        {
          typeUrl: TYPE_URL.errorInfo,
          value: encodeErrorInfo({ reason: 'INTERNAL', domain: ERROR_DOMAIN, metadata: {} }),
        },
      ]
    : detailsOf(appError);
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, Buffer.from(encodeStatus({ code, message, details })));
  return Object.assign(new Error(message), { code, details: message, metadata });
}

/** The rich details of a failed call, decoded from its trailers. */
export interface StatusDetails {
  readonly code: number;
  readonly message: string;
  /** ErrorInfo.reason: the catalogue code (`VALIDATION_FAILED`...). */
  readonly reason: string | undefined;
  readonly domain: string | undefined;
  /** ErrorInfo.metadata: `legacy_reason` (the original's dotted reason), `message` (human text), facts. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly violations: readonly FieldViolation[];
  /** RetryInfo.retry_delay in milliseconds, when the server sent one. */
  readonly retryDelayMs: number | undefined;
}

/** Decodes `grpc-status-details-bin` from trailers; undefined when absent or unreadable. */
export function decodeStatusDetails(metadata: Metadata | undefined): StatusDetails | undefined {
  const raw = metadata?.get(STATUS_DETAILS_KEY)[0];
  if (!(raw instanceof Uint8Array)) return undefined;
  try {
    const status = decodeStatus(raw);
    let info: ReturnType<typeof decodeErrorInfo> | undefined;
    let violations: FieldViolation[] = [];
    let retryDelayMs: number | undefined;
    for (const any of status.details) {
      if (any.typeUrl === TYPE_URL.errorInfo) info = decodeErrorInfo(any.value);
      else if (any.typeUrl === TYPE_URL.badRequest) violations = decodeBadRequest(any.value);
      else if (any.typeUrl === TYPE_URL.retryInfo) retryDelayMs = decodeRetryInfo(any.value);
    }
    return {
      code: status.code,
      message: status.message,
      reason: info?.reason,
      domain: info?.domain,
      metadata: info?.metadata ?? {},
      violations,
      retryDelayMs,
    };
  } catch {
    return undefined;
  }
}
