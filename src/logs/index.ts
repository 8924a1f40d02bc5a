// Public surface of the logs engine (store, parsers, redaction, LogQL). The template
// miner has its own entry point, ./mining/index.ts.
export type { Level, LogEntry, LogInput } from './types.js';
export { LEVELS, nsString, fromNsString } from './types.js';
export { normalizeLevel, guessLevel } from './level.js';
export { Redactor, RedactionRuleError, REDACTED, defaultRedactor, BUILTIN_RULE_NAMES, luhnValid } from './redact.js';
export type { RedactionRule, RedactorOptions } from './redact.js';
export { createLineParser, ParserConfigError } from './parse/parser.js';
export type { ParserSpec, LineParser } from './parse/parser.js';
export type { ParsedLog } from './parse/normalize.js';
export { CANONICAL_FIELDS } from './parse/normalize.js';
export { detectFormat, detectSourceFormat } from './parse/detect.js';
export { builtinFormatNames } from './parse/registry.js';
export { parseTimestamp } from './parse/timestamp.js';
export { syslogHeader } from './parse/syslog.js';
export type { SyslogHeader } from './parse/syslog.js';
export { LogStore, LogStoreError } from './store/log-store.js';
export type { AppendOptions, LogStoreOptions, LogStoreStats } from './store/log-store.js';
export type { Direction } from './store/select.js';
export { parseLogQL } from './logql/parser.js';
export { LogQLParseError } from './logql/errors.js';
export { queryRange, queryInstant, defaultStep } from './logql/evaluate.js';
export type { QueryResult, StreamResult, VectorSample, MatrixSeries, RangeQueryParams, InstantQueryParams } from './logql/evaluate.js';
export { toLokiResponse } from './logql/response.js';
export type { LokiResponse } from './logql/response.js';
export { traceLines } from './trace.js';
export type { TraceOptions } from './trace.js';
export {
  DEFAULT_LOG_QUERY_LIMITS,
  LogQueryLimitError,
  LogQueryTimeoutError,
  LogQueryCanceledError,
  checkQueryLength,
} from './logql/limits.js';
export type { LogQueryLimits } from './logql/limits.js';
export { logsConfigSchema } from './config.js';
export type { LogsConfig } from './config.js';
export { LineProcessor } from './line-processor.js';
export type { LineMeta, LineProcessorOptions, LineRedactor, ProcessedBatch, ServicePattern } from './line-processor.js';
export { InlineLineProcessor, WorkerLineProcessor, LineWorkerError } from './line-worker.js';
export type { AsyncLineProcessor } from './line-worker.js';
export { LogsRuntime } from './runtime.js';
export type { LogsRuntimeOptions } from './runtime.js';
