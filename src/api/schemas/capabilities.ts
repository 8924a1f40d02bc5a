/**
 * Parts of Vigil a server may or may not have (on-call, the Alertmanager API, rule groups,
 * SLOs, reports, a status page…), each known by a route that exists only with it. The server
 * answers which it has (GET /api/v1/capabilities) and the UI shows their pages and widgets
 * only where they exist. A new capability is one line here and one in web/src/lib/nav.ts.
 */
export const CAPABILITY_ROUTES = {
  oncall: '/api/v1/oncall',
  /** Secret calendar URLs that responders make (needs the server's database). */
  calendarUrls: '/api/v1/calendar-urls',
  silences: '/api/v2/silences',
  alertGroups: '/api/v2/alerts/groups',
  rules: '/api/v1/rules',
  actionItems: '/api/v1/action-items',
  maintenance: '/api/v1/maintenance',
  slos: '/api/v1/slos',
  reports: '/api/v1/reports/daily',
  statusPage: '/status.json',
  /** Public incident updates (what the status page says). */
  publicUpdates: '/api/v1/incidents/:id/updates',
} as const;

export type Capability = keyof typeof CAPABILITY_ROUTES;

export interface CapabilitiesResponse {
  readonly capabilities: Record<Capability, boolean>;
}
