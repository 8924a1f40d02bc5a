/**
 * Maintenance windows: planned work on services between two times, from `maintenance:` in
 * vigil.yml and from POST /api/v1/maintenance (persisted in `maintenance_windows`).
 *
 * What other modules use:
 * - `MaintenanceService.muter()`: the alert pipeline's `maintenance` muting stage (alerts whose
 *   `service` label names a service in an active window are muted: no notification, no page).
 * - `activeFor(service)`: whether an alert may open an incident (app/ wires the incident
 *   subscriber with it) and the services' `maintenance` state.
 * - `intervals(service, from, to)`: the time SLOs with `exclude_maintenance: true` leave out.
 * - `list({states, service})`: active, upcoming and completed windows (API, status page,
 *   daily report's "maintenance done").
 * - `subscribe(fn)`: `created`, `updated`, `cancelled`, `started`, `ended` events (status page
 *   notices; the app re-announces held-back alerts when a window ends).
 */
export { MaintenanceService, MAINTENANCE_STAGE, configWindowId } from './service.js';
export type { MaintenanceServiceOptions, MaintenanceInput, MaintenanceFilter, Interval } from './service.js';
export { MemoryMaintenanceStore } from './memory-store.js';
export { maintenanceConfigSchema } from './config.js';
export type { MaintenanceConfig } from './config.js';
export { stateAt } from './types.js';
export type { MaintenanceWindow, MaintenanceState, MaintenanceEvent, MaintenanceListener, MaintenanceStore, MaintenanceReader } from './types.js';
