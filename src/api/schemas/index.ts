// Vigil's own API: every response and request body as a zod schema, the one source of the
// types the server builds, the CLI reads and the web UI imports (type-only).
export { apiErrorSchema, ERROR_STATUS } from './errors.js';
export type { ApiError, ErrorCode } from './errors.js';
export { checkViewSchema, resultViewSchema, checksResponseSchema, checkResultsQuerySchema, checkResultsResponseSchema, CHECK_STATES } from './checks.js';
export type { CheckView, ResultView, ChecksResponse, CheckResultsQuery, CheckResultsResponse } from './checks.js';
export { alertViewSchema, alertsResponseSchema } from './alerts.js';
export type { AlertView, AlertsResponse } from './alerts.js';
export {
  incidentViewSchema,
  incidentDetailSchema,
  incidentsResponseSchema,
  timelineEntrySchema,
  incidentAlertSchema,
  incidentIdParams,
  incidentListQuery,
  incidentActionBody,
  incidentNoteBody,
  incidentAssignBody,
  incidentSeverityBody,
  SEVERITY_VALUES,
  INCIDENT_STATUSES,
} from './incidents.js';
export type {
  IncidentView,
  IncidentDetailView,
  IncidentsResponse,
  TimelineEntryView,
  IncidentAlertView,
  IncidentListQuery,
  IncidentActionBody,
  IncidentNoteBody,
  IncidentAssignBody,
  IncidentSeverityBody,
} from './incidents.js';
export { patternViewSchema, patternsResponseSchema, patternsQuerySchema, traceLineSchema, traceResponseSchema } from './logs.js';
export type { PatternView, PatternsResponse, TraceResponse } from './logs.js';
export { sessionSchema, signInBody, ROLE_VALUES } from './session.js';
export type { SessionView, SignInBody } from './session.js';
export { serviceViewSchema, servicesResponseSchema, SERVICE_STATES } from './services.js';
export type { ServiceView, ServicesResponse, ServiceState } from './services.js';
export { routeNodeSchema, routingResponseSchema, routeTestBody, routeTestResponseSchema } from './routing.js';
export type { RouteNodeView, RoutingResponse, RouteTestBody, RouteTestResponse } from './routing.js';
export { oncallResponseSchema, shiftsResponseSchema, schedulesResponseSchema, shiftViewSchema, calendarFeedViewSchema, calendarFeedsResponseSchema, calendarUrlResponseSchema } from './oncall.js';
export type { OncallResponse, ShiftsResponse, SchedulesResponse, ShiftView, CalendarFeedView, CalendarFeedsResponse, CalendarUrlResponse } from './oncall.js';
export {
  declareIncidentBody,
  reopenBody,
  postmortemBody,
  postmortemQuery,
  postmortemViewSchema,
  actionItemBody,
  actionItemPatchBody,
  actionItemIdParams,
  incidentActionItemParams,
  actionItemsQuery,
  actionItemViewSchema,
  actionItemsResponseSchema,
  POSTMORTEM_STATUS_VALUES,
  POSTMORTEM_SECTION_NAMES,
  ACTION_KIND_VALUES,
  ACTION_STATUS_VALUES,
} from './followup.js';
export type { DeclareIncidentBody, ReopenBody, PostmortemBody, PostmortemView, ActionItemBody, ActionItemPatchBody, ActionItemsQuery, ActionItemView, ActionItemsResponse } from './followup.js';
export { publicUpdateViewSchema, publicUpdatesResponseSchema, PUBLIC_UPDATE_STATUS_VALUES } from './public-updates.js';
export type { PublicUpdateView, PublicUpdatesResponse } from './public-updates.js';
export { maintenanceViewSchema, maintenanceListSchema, maintenanceCreateBody, maintenancePatchBody, maintenanceListQuery, MAINTENANCE_STATES } from './maintenance.js';
export type { MaintenanceView, MaintenanceList, MaintenanceCreateBody, MaintenancePatchBody } from './maintenance.js';
export { sloViewSchema, slosResponseSchema, sloHistorySchema, sloIncidentSchema, SLO_STATUSES, SLO_BURN_WINDOWS } from './slos.js';
export type { SloView, SlosResponse, SloHistory } from './slos.js';
export { CAPABILITY_ROUTES } from './capabilities.js';
export type { Capability, CapabilitiesResponse } from './capabilities.js';
