import type { Incident, IncidentAlert, IncidentFilter, IncidentRepo, TimelineEntry } from './types.js';

/** An IncidentRepo in memory: for tests and for tools that need no persistence. */
export class MemoryIncidentRepo implements IncidentRepo {
  private incidents = new Map<string, Incident>();
  private entries: TimelineEntry[] = [];
  private linked = new Map<string, IncidentAlert>();
  private seq = new Map<number, number>();

  async nextId(year: number): Promise<string> {
    const n = (this.seq.get(year) ?? 0) + 1;
    this.seq.set(year, n);
    return `INC-${year}-${String(n).padStart(4, '0')}`;
  }
  async insert(i: Incident): Promise<void> {
    this.incidents.set(i.id, i);
  }
  async update(i: Incident): Promise<void> {
    this.incidents.set(i.id, i);
  }
  async get(id: string): Promise<Incident | undefined> {
    return this.incidents.get(id);
  }
  async list(f: IncidentFilter): Promise<Incident[]> {
    const all = [...this.incidents.values()].sort((a, b) => b.openedAt - a.openedAt || b.id.localeCompare(a.id));
    const o = f.overlapping;
    const sel = all.filter(
      (i) => (f.status === 'all' || (f.status === 'resolved') === (i.status === 'resolved')) && (!o || (i.openedAt < o.to && (i.resolvedAt === null || i.resolvedAt > o.from))),
    );
    return sel.slice(0, f.limit ?? sel.length);
  }
  async findOpenByService(service: string): Promise<Incident | undefined> {
    return (await this.list({ status: 'open' })).find((i) => i.services.includes(service));
  }
  async findOpenByAlert(fp: string): Promise<Incident | undefined> {
    for (const a of this.linked.values()) {
      const inc = a.fingerprint === fp ? this.incidents.get(a.incidentId) : undefined;
      if (inc && inc.status !== 'resolved') return inc;
    }
    return undefined;
  }
  async findOpenByAlerts(fps: readonly string[]): Promise<Map<string, Incident>> {
    const out = new Map<string, Incident>();
    for (const fp of fps) {
      const inc = await this.findOpenByAlert(fp);
      if (inc) out.set(fp, inc);
    }
    return out;
  }
  async addTimeline(e: TimelineEntry): Promise<void> {
    this.entries.push(e);
  }
  async timeline(id: string): Promise<TimelineEntry[]> {
    return this.entries.filter((e) => e.incidentId === id);
  }
  async upsertAlert(a: IncidentAlert): Promise<void> {
    this.linked.set(`${a.incidentId}/${a.fingerprint}`, a);
  }
  async alerts(id: string): Promise<IncidentAlert[]> {
    return [...this.linked.values()].filter((a) => a.incidentId === id);
  }
}
