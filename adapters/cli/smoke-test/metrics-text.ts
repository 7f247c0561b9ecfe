/**
 * Reads the Prometheus text exposition format (version 0.0.4) line by line, strictly enough that a scrape which
 * Prometheus would reject fails the smoke test: HELP/TYPE comments, and samples `name{label="value",...} value
 * [timestamp]` with label values escaped as the format says.
 */
export interface ParsedMetrics {
  /** Metric family name → declared type (from `# TYPE`). */
  readonly types: ReadonlyMap<string, string>;
  readonly samples: number;
  /** `line N: problem`, at most 10. */
  readonly errors: readonly string[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
// Prometheus reads values with Go's ParseFloat, which takes NaN and Inf in any case (prom-client writes `Nan`).
const VALUE = '(?:[+-]?(?:\\d+\\.?\\d*(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?)|[+-]?[iI][nN][fF]|[nN][aA][nN])';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(?:${LABEL}(?:,${LABEL})*,?)?\\})? ${VALUE}(?: -?\\d+)?$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const HELP = new RegExp(`^# HELP ${NAME}(?: .*)?$`);

export function parseMetricsText(text: string): ParsedMetrics {
  const types = new Map<string, string>();
  const errors: string[] = [];
  let samples = 0;
  for (const [index, line] of text.split('\n').entries()) {
    if (line === '' || errors.length >= 10) continue;
    if (line.startsWith('# TYPE')) {
      const match = TYPE.exec(line);
      if (match) types.set(match[1] as string, match[2] as string);
      else errors.push(`line ${index + 1}: malformed TYPE: ${line.slice(0, 120)}`);
    } else if (line.startsWith('# HELP')) {
      if (!HELP.test(line)) errors.push(`line ${index + 1}: malformed HELP: ${line.slice(0, 120)}`);
    } else if (line.startsWith('#')) {
      // Other comments are allowed and ignored.
    } else if (SAMPLE.test(line)) samples++;
    else errors.push(`line ${index + 1}: not a sample: ${line.slice(0, 120)}`);
  }
  return { types, samples, errors };
}

/**
 * The metrics dashboards and the shipped alert rules depend on (a subset of adapters/prometheus/metric-set.ts):
 * request traffic of both APIs, the write counters and the indexing queue.
 */
export const CORE_METRICS = [
  'listings_http_requests_total',
  'listings_http_request_duration_seconds',
  'listings_grpc_requests_total',
  'listings_grpc_request_duration_seconds',
  'listings_listings_created_total',
  'listings_indexing_queue_size',
] as const;
