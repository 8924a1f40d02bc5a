import type { QueryResult } from './evaluate.js';

export interface LokiQueryStats {
  summary: {
    bytesProcessedPerSecond: number;
    linesProcessedPerSecond: number;
    totalBytesProcessed: number;
    totalLinesProcessed: number;
    execTime: number;
  };
}

export interface LokiResponse {
  status: 'success';
  data: { resultType: QueryResult['resultType']; result: QueryResult['result']; stats: LokiQueryStats | Record<string, never> };
}

/**
 * The body of Loki's /loki/api/v1/query and /query_range: `streams` values are
 * `["<unix ns>", "<line>"]`, `vector`/`matrix` samples `[<unix seconds>, "<value>"]`.
 */
export function toLokiResponse(result: QueryResult, stats?: { lines: number; bytes: number; execSeconds: number }): LokiResponse {
  const s: LokiQueryStats | Record<string, never> = stats
    ? {
        summary: {
          bytesProcessedPerSecond: stats.execSeconds > 0 ? Math.round(stats.bytes / stats.execSeconds) : 0,
          linesProcessedPerSecond: stats.execSeconds > 0 ? Math.round(stats.lines / stats.execSeconds) : 0,
          totalBytesProcessed: stats.bytes,
          totalLinesProcessed: stats.lines,
          execTime: stats.execSeconds,
        },
      }
    : {};
  return { status: 'success', data: { resultType: result.resultType, result: result.result, stats: s } };
}
