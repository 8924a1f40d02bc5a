import { minOf, pushAll } from '../../model/arrays.js';
import type { Effects, Escalation, EscalationFilter, EscalationStore, Followup, NewEscalation, PageJob } from './types.js';

const OPEN = new Set(['active', 'acknowledged', 'exhausted']);

/** For tests and single-process use without a database: the pages it "stores" are kept in `pages`. */
export class MemoryEscalationStore implements EscalationStore {
  private readonly rows = new Map<number, Escalation>();
  private readonly followups = new Map<number, Followup>();
  readonly pages: PageJob[] = [];
  private nextId = 1;
  private nextFollowup = 1;

  async open(receiver: string, groupKey: string): Promise<Escalation | undefined> {
    return [...this.rows.values()].find((e) => e.receiver === receiver && e.groupKey === groupKey && OPEN.has(e.status));
  }

  async get(id: number): Promise<Escalation | undefined> {
    return this.rows.get(id);
  }

  async list(f: EscalationFilter): Promise<Escalation[]> {
    return [...this.rows.values()]
      .filter((e) => (f.status === 'open' ? OPEN.has(e.status) : true) && (f.incidentId === undefined || e.incidentId === f.incidentId))
      .sort((a, b) => b.id - a.id)
      .slice(0, f.limit ?? Infinity);
  }

  async insert(e: NewEscalation): Promise<Escalation> {
    const row: Escalation = { ...e, id: this.nextId++, version: 1 };
    this.rows.set(row.id, row);
    return row;
  }

  async commit(id: number, version: number, patch: Partial<NewEscalation>, effects: Effects): Promise<boolean> {
    const e = this.rows.get(id);
    if (!e || e.version !== version) return false;
    this.rows.set(id, { ...e, ...patch, version: version + 1 });
    pushAll(this.pages, effects.pages);
    for (const f of effects.followups) {
      const row = { ...f, id: this.nextFollowup++, escalationId: id };
      this.followups.set(row.id, row);
    }
    for (const fid of effects.doneFollowups) this.followups.delete(fid);
    return true;
  }

  async due(now: number, limit: number): Promise<Escalation[]> {
    return [...this.rows.values()]
      .filter((e) => (e.status === 'active' || e.status === 'acknowledged') && e.nextAt !== null && e.nextAt <= now)
      .sort((a, b) => (a.nextAt ?? 0) - (b.nextAt ?? 0) || a.id - b.id)
      .slice(0, limit);
  }

  async followupsDue(now: number, limit: number): Promise<Followup[]> {
    return [...this.followups.values()].filter((f) => f.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt || a.id - b.id).slice(0, limit);
  }

  async nextDue(): Promise<number | undefined> {
    const times = [...this.rows.values()].filter((e) => (e.status === 'active' || e.status === 'acknowledged') && e.nextAt !== null).map((e) => e.nextAt as number);
    for (const f of this.followups.values()) times.push(f.dueAt);
    return times.length ? minOf(times) : undefined;
  }
}
