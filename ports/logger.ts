/**
 * Structured logging as the core needs it. Fields are plain, JSON-serialisable values; adapters decide
 * the format and must redact secrets (authorization headers, passwords) before anything is written.
 */
export interface Logger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
  /** A logger whose every line carries `bindings` (e.g. a component name or a request id). */
  child(bindings: Record<string, unknown>): Logger;
}
