// The probes module's public surface: api/ and app/ import only from here.
export type { Probe, ProbeContext, ProbeResult } from './probe.js';
export { ProbeTimeoutError } from './probe.js';
export { checkSchema, checksSchema } from './config.js';
export type { CheckConfig } from './config.js';
export { probes, probeFor, probeTypes } from './registry.js';
export type { ProbeType } from './registry.js';
export { runCheck } from './run-check.js';
export { Scheduler } from './scheduler.js';
export type { SchedulableCheck, SchedulerOptions } from './scheduler.js';
export { activeAlert, applyResult, checkAlertLabels, initialCheckState, restoreCheckState, uptime } from './check-state.js';
export type { AlertingCheck, CheckEvent, CheckState } from './check-state.js';
export { writeResultSamples } from './samples.js';
export { redactUrl } from './redact.js';
export { CheckRuntime } from './runtime.js';
export type { CheckRuntimeOptions, CheckMetrics, CheckStatus } from './runtime.js';
export type { CheckStore, StoredResult, StoredState, Uptime } from './check-store.js';
