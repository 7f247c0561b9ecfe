/**
 * `unified_attribute_values` → `listing_attributes` (entity_type listing/product) or into a variant's
 * `variant_attributes` (entity_type product_variant), §3.8.
 */
import { plainDecimal } from './decimals.ts';
import { parseJson, stringifyJson } from './json-text.ts';
import { hashOf, IssueLog, mapRow, naiveUtc, reject } from './mapping-result.ts';
import type {
  MapAttributeValue,
  MappingContext,
  ParentListing,
  SourceAttributeValueRow,
  TargetListingAttributeRow,
  VariantAttributeValue,
} from './types.ts';

export interface TypedValue {
  /** The value as listing_attributes text: text as is, plain decimal, true/false, YYYY-MM-DD, compact JSON. */
  readonly text: string;
  /** The value as JSON for variant_attributes. */
  readonly json: string;
  /** Which typed columns were set, in precedence order. */
  readonly columns: readonly string[];
}

/** The first non-null typed column in the order text, numeric, boolean, date, json; null when none is set. */
export function typedValue(row: SourceAttributeValueRow): TypedValue | null {
  const candidates: [string, string, string][] = [];
  if (row.text_value !== null) candidates.push(['text_value', row.text_value, JSON.stringify(row.text_value)]);
  if (row.numeric_value !== null) {
    const decimal = plainDecimal(row.numeric_value) ?? row.numeric_value;
    // NaN has no JSON number form: it travels as a JSON string.
    candidates.push([
      'numeric_value',
      decimal,
      plainDecimal(row.numeric_value) === null ? JSON.stringify(decimal) : decimal,
    ]);
  }
  if (row.boolean_value !== null) {
    const text = row.boolean_value ? 'true' : 'false';
    candidates.push(['boolean_value', text, text]);
  }
  if (row.date_value !== null) candidates.push(['date_value', row.date_value, JSON.stringify(row.date_value)]);
  if (row.json_value !== null) {
    const compact = stringifyJson(parseJson(row.json_value));
    candidates.push(['json_value', compact, compact]);
  }
  const first = candidates[0];
  if (first === undefined) return null;
  return { text: first[1], json: first[2], columns: candidates.map((c) => c[0]) };
}

function parentProblem(parent: ParentListing, what: string): never | undefined {
  if (parent.state === 'missing') reject('PARENT_MISSING', `${what} does not exist at the source`);
  if (parent.state === 'rejected') reject('PARENT_REJECTED', `${what} ${parent.id} was rejected`);
  return undefined;
}

/**
 * For entity_type product_variant, `parent` is the variant (its id; createdAt unused). Unknown attribute or entity
 * → PARENT_MISSING; no typed value → ATTRIBUTE_VALUE_EMPTY; several → the first, ATTRIBUTE_MULTI_VALUE.
 * created_at = the value's updated_at, else its created_at, else the listing's (CREATED_AT_MISSING).
 */
export const mapAttributeValue: MapAttributeValue = (row, parent, ctx) => {
  const log = new IssueLog();
  const identity = {
    sourceTable: 'unified_attribute_values' as const,
    sourceKey: String(row.id),
    targetTable:
      row.entity_type === 'product_variant' ? ('b2c_product_variants' as const) : ('listing_attributes' as const),
    row,
    hash: hashOf('unified_attribute_values', row, ctx, [
      ctx.attributeCode(row.attribute_id) ?? '\\N',
      parent.state === 'migrated' ? parent.createdAt : parent.state,
    ]),
  };
  return mapRow<TargetListingAttributeRow | VariantAttributeValue>(identity, log, () => {
    const code = ctx.attributeCode(row.attribute_id);
    if (code === undefined) reject('PARENT_MISSING', `attribute ${row.attribute_id} is not defined`);
    if (!['listing', 'product', 'product_variant'].includes(row.entity_type)) {
      reject('PARENT_MISSING', `entity_type ${row.entity_type} is not in scope`);
    }
    parentProblem(parent, `${row.entity_type} ${row.entity_id}`);
    const value = typedValue(row);
    if (value === null) return reject('ATTRIBUTE_VALUE_EMPTY', `attribute ${code} has no typed value`);
    if (value.columns.length > 1) log.repair('ATTRIBUTE_MULTI_VALUE', value.columns.join(','), null);
    if (row.entity_type === 'product_variant') {
      return {
        targetKey: String(row.entity_id),
        row: { variant_id: row.entity_id, code, value: value.json },
      };
    }
    return {
      targetKey: `${row.entity_id}:${code}`,
      row: {
        listing_id: row.entity_id,
        attribute_key: code,
        attribute_value: value.text,
        created_at: attributeCreatedAt(row, parent, ctx, log),
      },
    };
  });
};

function attributeCreatedAt(
  row: SourceAttributeValueRow,
  parent: ParentListing,
  ctx: MappingContext,
  log: IssueLog,
): string {
  const updated = naiveUtc(row.updated_at, ctx, log, 'updated_at');
  if (updated !== null) return updated;
  const created = naiveUtc(row.created_at, ctx, log, 'created_at');
  if (created !== null) return created;
  log.repair('CREATED_AT_MISSING', 'created_at', null);
  return parent.state === 'migrated' ? parent.createdAt : ctx.runTime;
}
