import type { ActionItem, ActionItemFilter, FollowUpRepo, Postmortem } from './followup-types.js';

/** A FollowUpRepo in memory: for tests and tools without persistence. */
export class MemoryFollowUpRepo implements FollowUpRepo {
  private postmortems = new Map<string, Postmortem>();
  private items = new Map<number, ActionItem>();
  private seq = 0;

  async getPostmortem(id: string): Promise<Postmortem | undefined> {
    return this.postmortems.get(id);
  }
  async savePostmortem(p: Postmortem, expectVersion: number): Promise<boolean> {
    if ((this.postmortems.get(p.incidentId)?.version ?? 0) !== expectVersion) return false;
    this.postmortems.set(p.incidentId, p);
    return true;
  }
  async addActionItem(item: Omit<ActionItem, 'id'>): Promise<ActionItem> {
    const stored = { ...item, id: ++this.seq };
    this.items.set(stored.id, stored);
    return stored;
  }
  async getActionItem(id: number): Promise<ActionItem | undefined> {
    return this.items.get(id);
  }
  async updateActionItem(item: ActionItem): Promise<void> {
    this.items.set(item.id, item);
  }
  async listActionItems(f: ActionItemFilter): Promise<ActionItem[]> {
    return [...this.items.values()].filter(
      (i) => (!f.statuses || f.statuses.includes(i.status)) && (f.owner === undefined || i.owner === f.owner) && (f.incidentId === undefined || i.incidentId === f.incidentId),
    );
  }
}
