import { expect } from 'vitest';
import { AppError, type ErrorCode, type FieldViolation } from '../../../src/domain/errors.ts';

/** Runs `fn`, expects an AppError with `code`, and returns it. */
export function catchAppError(fn: () => unknown, code: ErrorCode): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code, appError.message).toBe(code);
    return appError;
  }
  throw new Error(`expected ${code}, but nothing was thrown`);
}

/** Expects VALIDATION_FAILED and returns its violations. */
export function violationsOf(fn: () => unknown): readonly FieldViolation[] {
  return catchAppError(fn, 'VALIDATION_FAILED').violations;
}

/** Expects VALIDATION_FAILED carrying exactly one violation on `field` with `message`. */
export function expectViolation(fn: () => unknown, field: string, message: string): FieldViolation {
  const violations = violationsOf(fn);
  expect(violations.map((v) => [v.field, v.message])).toEqual([[field, message]]);
  return violations[0]!;
}
