export { routeSchema, rootRouteSchema, checkRouting, formatIssuePath, ROUTE_DEFAULTS } from './config.js';
export type { RouteConfig, RouteConfigInput, ConfigIssue } from './config.js';
export { parseMatcher, parseMatchers, formatMatchersAM } from './matchers.js';
export { Route, buildRoute, groupLabelsFor } from './route.js';
export type { RouteOpts } from './route.js';
export { Dispatcher } from './dispatcher.js';
export type { AlertSnapshot, AlertStatus, DispatcherOptions, GroupSnapshot, Notification, NotificationAlert } from './dispatcher.js';
export { InMemoryNotificationLog, needsUpdate } from './nflog.js';
export type { NotificationLog, NotificationLogEntry } from './nflog.js';
