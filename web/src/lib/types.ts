// The API's types come from its own schemas (src/api/schemas): imported as types only, so
// nothing of the server is bundled.
export type {
  AlertView,
  Capability,
  CapabilitiesResponse,
  ApiError,
  CheckView,
  ChecksResponse,
  CheckResultsResponse,
  IncidentView,
  IncidentDetailView,
  IncidentsResponse,
  TimelineEntryView,
  IncidentAlertView,
  IncidentActionBody,
  IncidentNoteBody,
  IncidentAssignBody,
  IncidentSeverityBody,
  PatternView,
  PatternsResponse,
  TraceResponse,
  SessionView,
  SignInBody,
  ServiceView,
  ServicesResponse,
  ServiceState,
  RouteNodeView,
  RoutingResponse,
  RouteTestBody,
  RouteTestResponse,
  AlertsResponse,
  OncallResponse,
  ShiftsResponse,
  SchedulesResponse,
  ShiftView,
  CalendarFeedsResponse,
  CalendarUrlResponse,
  DeclareIncidentBody,
  PostmortemBody,
  PostmortemView,
  ActionItemBody,
  ActionItemPatchBody,
  ActionItemView,
  ActionItemsResponse,
  MaintenanceView,
  SloView,
  SlosResponse,
  MaintenanceList,
  PublicUpdateView,
  PublicUpdatesResponse,
} from '../../../src/api/schemas/index.js';

export type Role = 'viewer' | 'responder' | 'admin' | 'ingest';
export type Severity = 'critical' | 'high' | 'medium' | 'low';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

// The Prometheus and Loki HTTP APIs' shapes are those products' public formats, not Vigil's.
export type PromSample = [number, string];
export interface PromVectorResult {
  resultType: 'vector';
  result: Array<{ metric: Record<string, string>; value: PromSample }>;
}
export interface PromMatrixResult {
  resultType: 'matrix';
  result: Array<{ metric: Record<string, string>; values: PromSample[] }>;
}
export interface PromScalarResult {
  resultType: 'scalar' | 'string';
  result: PromSample;
}
export type PromQueryData = PromVectorResult | PromMatrixResult | PromScalarResult;
export interface PromResponse<T> {
  status: 'success' | 'error';
  data: T;
  errorType?: string;
  error?: string;
  warnings?: string[];
  infos?: string[];
}
export interface LokiStreamsData {
  resultType: 'streams';
  result: Array<{ stream: Record<string, string>; values: Array<[string, string]> }>;
}
export type LokiQueryData = LokiStreamsData | PromMatrixResult | PromVectorResult;
