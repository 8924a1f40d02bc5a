// The public status page's surface: api/ and app/ import only from here.
export { statusPageConfigSchema, statusComponentSchema } from './config.js';
export type { StatusPageConfig, StatusComponentConfig } from './config.js';
export { COMPONENT_STATUSES, UPDATE_STATUSES } from './types.js';
export type { CheckInput, ComponentStatus, DailyCounts, IncidentInput, Indicator, MaintenanceSource, NewPublicUpdate, PlannedWindow, PublicUpdate, UpdateStatus } from './types.js';
export { componentStatus, overallStatus, incidentImpact, worstStatus } from './state.js';
export { StatusPage } from './page.js';
export type { PublicComponent, PublicIncident, PublicMaintenance, StatusPageDeps, StatusSnapshot } from './page.js';
export { PublicUpdates, publicText } from './updates.js';
export type { PublicUpdateInput, PublicUpdatesOptions } from './updates.js';
export { MemoryUpdateStore } from './update-store.js';
export type { UpdateStore } from './update-store.js';
export { statusJson, incidentJson } from './render-json.js';
export type { StatusJson } from './render-json.js';
export { renderStatusPage, renderIncidentPage, renderMessagePage } from './render-page.js';
export type { PageLinks, PageNotice, SubscribeOptions } from './render-page.js';
export { renderFeed } from './render-feed.js';
export { dayBars } from './uptime.js';
export type { DayBar } from './uptime.js';
