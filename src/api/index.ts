export { buildApi } from './server.js';
export type { ApiOptions, RouteModule } from './server.js';
export type { ApiDeps, CheckView, ResultView, AlertView, ReadyReport } from './deps.js';
export { HttpError } from './errors.js';
export { registerPrometheusRoutes, serializeResult } from './prometheus.js';
export { registerPrometheusExtraRoutes } from './prometheus-extras.js';
export type { PrometheusApiDeps } from './prometheus.js';
export { registerLokiRoutes } from './loki.js';
export type { LokiApiDeps } from './loki.js';
export { registerIngestRoutes } from './ingest.js';
export type { IngestApiDeps } from './ingest.js';
export { registerLogIngestRoutes } from './log-ingest.js';
export type { LogIngestApiDeps } from './log-ingest.js';
export { registerOncallRoutes } from './oncall.js';
export type { OncallApiDeps } from './oncall.js';
export { registerAckRoutes, verifySlackSignature } from './ack.js';
export type { AckApiDeps, AckLinkView } from './ack.js';
export { registerConfigRoutes } from './config-status.js';
export type { ConfigApiDeps } from './config-status.js';
export {
  apiErrorSchema,
  ERROR_STATUS,
  checksResponseSchema,
  checkResultsResponseSchema,
  alertsResponseSchema,
  incidentsResponseSchema,
  incidentDetailSchema,
  patternsResponseSchema,
  traceResponseSchema,
  sessionSchema,
  servicesResponseSchema,
  routingResponseSchema,
  routeTestResponseSchema,
  postmortemViewSchema,
  actionItemViewSchema,
  actionItemsResponseSchema,
} from './schemas/index.js';
export type { ApiError, ErrorCode, IncidentDetailView, IncidentView, SessionView, ServiceView, ActionItemView, ActionItemsResponse, PostmortemView, SloView, SlosResponse, SloHistory } from './schemas/index.js';
export { registerRulesRoutes, registerRuleAlertsRoute, registerReloadRoute } from './rules.js';
export type { RulesApiDeps } from './rules.js';
export { registerAlertmanagerRoutes } from './alertmanager.js';
export type { AlertmanagerApiDeps } from './alertmanager.js';
export { registerStatusPageRoutes } from './status-page.js';
export type { StatusPageApiDeps } from './status-page.js';
export { registerMaintenanceRoutes, maintenanceView } from './maintenance.js';
export type { MaintenanceApiDeps } from './maintenance.js';
export { registerReportRoutes } from './reports.js';
export type { ReportsApiDeps } from './reports.js';
export { currentServices } from './services.js';
export { registerSloRoutes, sloView } from './slos.js';
export type { SloApiDeps } from './slos.js';
