/**
 * Building `Mapped` / `Rejected` results: an issue log per row, rejection as a thrown signal inside a mapper, the
 * hash inputs every row shares, and time conversion that logs AMBIGUOUS_LOCAL_TIME.
 */
import { AppError } from '../../domain/errors.ts';
import { canonicalRecord, rowHash } from './canonical-text.ts';
import type { NoticeCode, RejectCode, RepairCode } from './codes.ts';
import { INT4_MAX, SECONDARY_ID_OFFSET } from './constants.ts';
import { isJsonObject, stringifyJson } from './json-text.ts';
import { naiveToUtc, TimestampRangeError, tstzToUtc } from './timestamps.ts';
import type {
  Mapped,
  MappingContext,
  MappingIssue,
  MappingResult,
  Rejected,
  SourceTable,
  TargetTable,
  UtcTimestampText,
} from './types.ts';

/** Thrown inside a mapper to reject the row; {@link mapRow} turns it into a `Rejected`. */
export class RowRejection extends Error {
  readonly code: RejectCode;
  constructor(code: RejectCode, detail: string) {
    // A signal caught by mapRow, never reported with a stack: capturing one (every frame of the async scan) was
    // most of its cost, paid for every rejected row.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(detail);
    Error.stackTraceLimit = limit;
    this.code = code;
  }
}

export function reject(code: RejectCode, detail: string): never {
  throw new RowRejection(code, detail);
}

/** Repairs and notices of one row, in the order the rules ran. */
export class IssueLog {
  readonly repairs: MappingIssue<RepairCode>[] = [];
  readonly notices: MappingIssue<NoticeCode>[] = [];

  repair(code: RepairCode, field: string, raw: unknown): void {
    this.repairs.push({ code, field, raw: rawText(raw) });
  }

  notice(code: NoticeCode, field: string, raw: unknown): void {
    this.notices.push({ code, field, raw: rawText(raw) });
  }

  /** The repairs as the JSON array kept in `_monolith.repairs` / extras. */
  repairsJson(): { code: string; field: string; raw: string | null }[] {
    return this.repairs.map((r) => ({ code: r.code, field: r.field, raw: r.raw }));
  }
}

function rawText(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  return typeof raw === 'string' ? raw : String(raw);
}

const contextInputs = new WeakMap<MappingContext, string>();

/** Options and zone: inputs of every row hash (a different run configuration maps differently). */
export function contextInput(ctx: MappingContext): string {
  // Built once per run's context, not once per row hashed.
  let input = contextInputs.get(ctx);
  if (input === undefined) {
    input = contextRecord(ctx);
    contextInputs.set(ctx, input);
  }
  return input;
}

function contextRecord(ctx: MappingContext): string {
  const o = ctx.options;
  return canonicalRecord([
    ctx.sourceZone,
    o.rejectShortTitle,
    o.priceFallback,
    o.ownerFallback,
    o.categoryFallback,
    ctx.storefrontCountryWidth,
  ]);
}

export interface RowIdentity {
  readonly sourceTable: SourceTable;
  readonly sourceKey: string;
  readonly targetTable: TargetTable;
  readonly row: object;
  readonly hash: string;
}

export interface RowOutcome<T> {
  readonly targetKey: string;
  readonly row: T;
  /** id_map.extras (without repairs: they are added here when present). */
  readonly extras?: Record<string, unknown>;
  /** Whether the repairs go into extras (false for listings, which keep them in `_monolith.repairs`). */
  readonly repairsInExtras?: boolean;
}

/** Runs a mapper body; a {@link RowRejection} becomes a `Rejected` result. */
export function mapRow<T>(identity: RowIdentity, log: IssueLog, body: () => RowOutcome<T>): MappingResult<T> {
  try {
    const outcome = body();
    return mappedResult(identity, log, outcome);
  } catch (error) {
    if (error instanceof RowRejection) return rejectedResult(identity, error.code, error.message);
    if (error instanceof TimestampRangeError) return rejectedResult(identity, 'TIMESTAMP_OUT_OF_RANGE', error.message);
    throw error;
  }
}

const NO_EXTRAS: Readonly<Record<string, unknown>> = {};

function mappedResult<T>(identity: RowIdentity, log: IssueLog, outcome: RowOutcome<T>): Mapped<T> {
  let extras: Record<string, unknown> | null = null;
  const given = outcome.extras ?? NO_EXTRAS;
  // for…in over a mapper's own plain object: no entries array per row (images map one per row).
  for (const key in given) {
    const value = given[key];
    if (value === null || value === undefined) continue;
    extras ??= {};
    extras[key] = value;
  }
  if (outcome.repairsInExtras !== false && log.repairs.length > 0) {
    extras ??= {};
    extras.repairs = log.repairsJson();
  }
  return {
    kind: 'mapped',
    sourceTable: identity.sourceTable,
    sourceKey: identity.sourceKey,
    targetTable: identity.targetTable,
    targetKey: outcome.targetKey,
    row: outcome.row,
    hash: identity.hash,
    repairs: log.repairs,
    notices: log.notices,
    extras: extras === null ? null : stringifyJson(extras),
  };
}

export function rejectedResult(identity: RowIdentity, code: RejectCode, detail: string): Rejected {
  return {
    kind: 'rejected',
    sourceTable: identity.sourceTable,
    sourceKey: identity.sourceKey,
    code,
    detail,
    sourceRow: JSON.stringify(identity.row),
    hash: identity.hash,
  };
}

/** The hash of a row from its source table, the row, the run configuration and further inputs. */
export function hashOf(sourceTable: SourceTable, row: object, ctx: MappingContext, inputs: readonly string[]): string {
  return rowHash(sourceTable, row, [contextInput(ctx), ...inputs]);
}

/** Naive source time → UTC text, logging AMBIGUOUS_LOCAL_TIME for `field`. */
export function naiveUtc(
  text: string | null,
  ctx: MappingContext,
  log: IssueLog,
  field: string,
): UtcTimestampText | null {
  if (text === null) return null;
  const converted = naiveToUtc(text, ctx.sourceZone);
  if (converted.ambiguous) log.notice('AMBIGUOUS_LOCAL_TIME', field, text);
  return converted.utc;
}

export function tstzUtc(text: string | null): UtcTimestampText | null {
  return text === null ? null : tstzToUtc(text);
}

/** Target id of a secondary source row (§3.1); an id that would overflow `integer` stops the run (exit 4). */
export function offsetId(sourceTable: SourceTable, id: number): number {
  const target = id + SECONDARY_ID_OFFSET;
  if (target > INT4_MAX) {
    throw new AppError('PRECONDITION_FAILED', `${sourceTable} id ${id} + ${SECONDARY_ID_OFFSET} overflows integer`, {
      reason: 'SECONDARY_ID_OVERFLOW',
      details: { sourceTable, id },
    });
  }
  return target;
}

/** Adds a key to a JSON object as an own property (a source key `__proto__` stays data). */
export function setJsonKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Copies the non-null entries of `entries` into a new JSON object, in order. */
export function compactObject(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) if (value !== null && value !== undefined) setJsonKey(out, key, value);
  return out;
}

export { isJsonObject };

/**
 * Runs several independent checks and rejects once with the first failing code, the detail naming every problem,
 * so an operator fixing the source sees all of them at once.
 */
export class RejectionCollector {
  readonly #problems: RowRejection[] = [];

  attempt<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof RowRejection)) throw error;
      this.#problems.push(error);
      return undefined;
    }
  }

  /** Rejects with the first problem's code when any check failed. */
  settle(): void {
    const [first] = this.#problems;
    if (first === undefined) return;
    reject(first.code, this.#problems.map((p) => `${p.code}: ${p.message}`).join('; '));
  }
}
