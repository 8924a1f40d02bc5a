export {
  scrapeConfigSchema,
  scrapeConfigsSchema,
  DEFAULT_SCRAPE_INTERVAL,
  DEFAULT_SCRAPE_TIMEOUT,
  type ScrapeConfig,
  type ScrapeConfigInput,
  type ScrapeConfigsInput,
  type StaticConfig,
} from './config.js';
export { remoteWriteSchema, remoteWriteConfigsSchema, type RemoteWriteConfig, type RemoteWriteConfigInput } from './remote-write-config.js';
export {
  relabel,
  relabelConfigSchema,
  relabelConfigsSchema,
  relabelActions,
  type RelabelAction,
  type RelabelConfig,
  type RelabelConfigInput,
} from './relabel.js';
export { authorizationHeader, type HttpAuthConfig } from './http-config.js';
export { ExpositionError, type ParsedSample, type ParseResult, type MetricType } from './exposition.js';
export { parseText } from './parse-text.js';
export { parseOpenMetrics } from './parse-openmetrics.js';
export { parserFor, ScrapeError, SCRAPE_ACCEPT_HEADER, type FetchFn } from './fetch-target.js';
export { ScrapeManager, scrapeOffset, type ScrapeManagerOptions, type TargetStatus } from './manager.js';
export { type TargetHealth } from './scrape-loop.js';
export { buildTargets, type Target } from './target.js';
