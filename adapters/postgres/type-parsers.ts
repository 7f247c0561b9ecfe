import pg from 'pg';
import { parseDateAsUtc, parseInt8, parseTimestampAsUtc, TYPE_OID, utcWallTime } from '../sql/value-parsers.ts';

/** Array type OIDs whose elements take the shared parsers. */
const ARRAY_OID = { int8: 1016, timestamp: 1115, date: 1182, numeric: 1231 } as const;
const TEXT_ARRAY_OID = 1009;

type Parser = (text: string) => unknown;

const parseTextArray = pg.types.getTypeParser(TEXT_ARRAY_OID as never) as (text: string) => (string | null)[];

function arrayOf(element: Parser): Parser {
  return (text) => parseTextArray(text).map((item) => (item === null ? null : element(item)));
}

const TIMESTAMPTZ_OID = 1184;
const parseTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ_OID as never) as Parser;

/**
 * TIMESTAMPTZ as node-postgres reads it (postgres-date), the sessions' UTC form (`+00`) read digit by digit first: the
 * same Date, at a third of the cost (value-parsers.ts `utcWallTime`).
 */
function parseUtcTimestamptz(text: string): unknown {
  const end = text.length - 3;
  const utc = text.endsWith('+00') ? utcWallTime(text, end) : undefined;
  return utc ?? parseTimestamptz(text);
}

const OVERRIDES: Readonly<Record<number, Parser>> = {
  [TIMESTAMPTZ_OID]: parseUtcTimestamptz,
  [TYPE_OID.int8]: parseInt8,
  [TYPE_OID.date]: parseDateAsUtc,
  [TYPE_OID.timestamp]: parseTimestampAsUtc,
  [ARRAY_OID.int8]: arrayOf(parseInt8),
  [ARRAY_OID.timestamp]: arrayOf(parseTimestampAsUtc),
  [ARRAY_OID.date]: arrayOf(parseDateAsUtc),
  // node-postgres reads numeric[] as floats; keep them exact strings, like NUMERIC itself and like PGlite.
  [ARRAY_OID.numeric]: arrayOf((text) => text),
};

/**
 * Per-connection type parsers for node-postgres (passed as the client's `types`, never set globally), so that
 * values arrive as described in adapters/sql/value-parsers.ts, the same as on PGlite.
 */
export const postgresTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format !== 'binary') {
      const override = OVERRIDES[oid];
      if (override) return override;
    }
    return pg.types.getTypeParser(oid, format ?? 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};
