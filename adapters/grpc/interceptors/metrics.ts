import type { Interceptor } from '../context.ts';
import { statusName } from '../status-codes.ts';
import { outcomeOf } from './access-log.ts';
import { settled } from './settled.ts';

/** Callbacks the Prometheus wiring implements (§11); `method` is the full path, `status` `success` or a code name. */
export interface GrpcMetricsObserver {
  /** `listings_grpc_handler_requests_active` +1. */
  onStart(method: string): void;
  /** `listings_grpc_handler_requests_active` −1, `listings_grpc_requests_total`, `..._request_duration_seconds`. */
  onFinish(method: string, status: string, seconds: number): void;
}

/** Inside the rate limiter, so rejections are not counted (as §11 describes); in-band failures are `success`. */
export function metricsInterceptor(observer: GrpcMetricsObserver): Interceptor {
  return (call, next) => {
    const started = performance.now();
    observer.onStart(call.path);
    return settled(next, call).then(
      (response) => {
        observer.onFinish(
          call.path,
          statusName(outcomeOf(call, undefined, false)),
          (performance.now() - started) / 1000,
        );
        return response;
      },
      (error: unknown) => {
        observer.onFinish(call.path, statusName(outcomeOf(call, error, true)), (performance.now() - started) / 1000);
        throw error;
      },
    );
  };
}
