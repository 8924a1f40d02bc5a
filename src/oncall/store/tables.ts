import type { Generated } from 'kysely';

/**
 * On-call's tables: runtime schedule overrides, durable escalations and their delayed
 * notification rules, one-use page links and the key that signs them. Escalation steps write
 * their pages as outbox jobs in the same transaction, through an enqueue function the
 * composition root passes in (the outbox's tables are notify's).
 */
export interface OncallOverridesTable {
  id: string;
  schedule: string;
  person: string;
  start_at: number;
  end_at: number;
  created_at: number;
  created_by: string;
}

export interface EscalationsTable {
  id: Generated<number>;
  receiver: string;
  group_key: string;
  policy: string;
  status: string;
  level: number;
  round: number;
  next_at: number | null;
  started_at: number;
  updated_at: number;
  acked_at: number | null;
  acked_by: string | null;
  acked_via: string | null;
  incident_id: string | null;
  fingerprints: string;
  message: string;
  version: number;
  /** JSON: [{person, channel}] paged so far (oncall_0002). */
  paged: string;
}

export interface EscalationFollowupsTable {
  id: Generated<number>;
  escalation_id: number;
  due_at: number;
  person: string;
  channels: string;
  level: number;
  round: number;
}

export interface OncallTables {
  oncall_overrides: OncallOverridesTable;
  escalations: EscalationsTable;
  escalation_followups: EscalationFollowupsTable;
  page_link_uses: { nonce: string; used_at: number };
  oncall_keys: { name: string; value: string };
  /** Secret calendar URLs: `kind` schedule or person; SHA-256 of the secret. */
  oncall_calendar_feeds: { kind: string; name: string; token_hash: string; created_at: number; created_by: string };
}
