import { type Metadata, status as Status } from '@grpc/grpc-js';
import { decodeStatusDetails, type StatusDetails } from '../status-details.ts';

export type { StatusDetails };

/** A failed call: the gRPC `code`, the status message (`details`), the trailers, and the decoded rich details. */
export class ListingsClientError extends Error {
  readonly rpc: string;
  /** Numeric gRPC status code (`status.NOT_FOUND` = 5...). */
  readonly code: Status;
  /** The status message as the server sent it (`products.not_found`, `listing not found`...). */
  readonly details: string;
  readonly metadata: Metadata | undefined;
  /** ErrorInfo (catalogue code in `reason`), BadRequest violations and RetryInfo, when the server sent them. */
  readonly statusDetails: StatusDetails | undefined;

  constructor(rpc: string, error: { code: Status; details: string; metadata?: Metadata }) {
    super(`${rpc}: ${Status[error.code] ?? error.code}: ${error.details}`);
    this.name = 'ListingsClientError';
    this.rpc = rpc;
    this.code = error.code;
    this.details = error.details;
    this.metadata = error.metadata;
    this.statusDetails = decodeStatusDetails(error.metadata);
  }
}
