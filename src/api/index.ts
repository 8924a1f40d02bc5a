export { buildApi } from './server.js';
export type { ApiOptions, RouteModule } from './server.js';
export type { ApiDeps, CheckView, ResultView, AlertView, ReadyReport } from './deps.js';
export { HttpError } from './errors.js';
export { registerPrometheusRoutes, serializeResult } from './prometheus.js';
export type { PrometheusApiDeps } from './prometheus.js';
export { registerLokiRoutes } from './loki.js';
export type { LokiApiDeps } from './loki.js';
