import type { MaintenanceStore, MaintenanceWindow } from './types.js';

/** The store in memory, for tests and tools. */
export class MemoryMaintenanceStore implements MaintenanceStore {
  private readonly rows = new Map<string, MaintenanceWindow>();

  async all(): Promise<MaintenanceWindow[]> {
    return [...this.rows.values()];
  }
  async insert(w: MaintenanceWindow): Promise<void> {
    if (this.rows.has(w.id)) throw new Error(`maintenance window ${w.id} exists`);
    this.rows.set(w.id, w);
  }
  async update(w: MaintenanceWindow): Promise<void> {
    this.rows.set(w.id, w);
  }
  async delete(id: string): Promise<void> {
    this.rows.delete(id);
  }
  async prune(before: number): Promise<number> {
    let n = 0;
    for (const [id, w] of this.rows) {
      if (w.end < before) {
        this.rows.delete(id);
        n++;
      }
    }
    return n;
  }
}
