import type { Escalation } from '../oncall/index.js';

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

/** An escalation as the API shows it (the stored message stays inside). */
export function escalationView(e: Escalation) {
  return {
    id: e.id,
    receiver: e.receiver,
    group_key: e.groupKey,
    policy: e.policy,
    status: e.status,
    level: e.level,
    round: e.round,
    next_step_at: iso(e.nextAt),
    started_at: iso(e.startedAt),
    acknowledged_at: iso(e.ackedAt),
    acknowledged_by: e.ackedBy,
    acknowledged_via: e.ackedVia,
    incident_id: e.incidentId,
    fingerprints: e.fingerprints,
  };
}
