import type { Generated } from 'kysely';
import type { OutboxTables } from '../notify/store/tables.js';

/**
 * The tables of db/'s cross-module store (oncall-store.ts): on-call overrides and escalations,
 * which it writes in the same transaction as the outbox jobs they page with. Every other
 * module's tables live in that module's store/ folder.
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

export interface Database extends OutboxTables {
  oncall_overrides: OncallOverridesTable;
  escalations: EscalationsTable;
  escalation_followups: EscalationFollowupsTable;
  page_link_uses: { nonce: string; used_at: number };
  oncall_keys: { name: string; value: string };
}
