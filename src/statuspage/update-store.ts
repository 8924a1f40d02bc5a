import type { NewPublicUpdate, PublicUpdate } from './types.js';

/** Where public updates live (store/sql-status-store.ts on SQL; memory in tests). */
export interface UpdateStore {
  add(update: NewPublicUpdate): Promise<PublicUpdate>;
  /** Every update of these incidents, in no particular order. */
  forIncidents(ids: readonly string[]): Promise<PublicUpdate[]>;
}

export class MemoryUpdateStore implements UpdateStore {
  private readonly rows: PublicUpdate[] = [];

  async add(update: NewPublicUpdate): Promise<PublicUpdate> {
    const row = { ...update, id: this.rows.length + 1 };
    this.rows.push(row);
    return row;
  }

  async forIncidents(ids: readonly string[]): Promise<PublicUpdate[]> {
    const want = new Set(ids);
    return this.rows.filter((r) => want.has(r.incidentId));
  }
}
