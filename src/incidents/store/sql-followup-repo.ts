import type { Kysely, Selectable } from 'kysely';
import type { ActionItem, ActionItemFilter, ActionKind, ActionStatus, FollowUpRepo, Postmortem, PostmortemStatus } from '../followup-types.js';
import type { ActionItemsTable, IncidentTables } from './tables.js';

const num = (v: number | null): number | null => (v === null ? null : Number(v));

function toItem(r: Selectable<ActionItemsTable>): ActionItem {
  return {
    id: Number(r.id),
    incidentId: r.incident_id,
    title: r.title,
    owner: r.owner,
    due: r.due,
    kind: r.kind as ActionKind,
    status: r.status as ActionStatus,
    createdAt: Number(r.created_at),
    createdBy: r.created_by,
    updatedAt: Number(r.updated_at),
    doneAt: num(r.done_at),
  };
}

export class SqlFollowUpRepo implements FollowUpRepo {
  constructor(private readonly db: Kysely<IncidentTables>) {}

  async getPostmortem(incidentId: string): Promise<Postmortem | undefined> {
    const r = await this.db.selectFrom('incident_postmortems').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
    if (!r) return undefined;
    const { summary, impact, detection, root_cause, timeline, resolution, lessons_learned } = r;
    return {
      incidentId: r.incident_id,
      status: r.status as PostmortemStatus,
      sections: { summary, impact, detection, root_cause, timeline, resolution, lessons_learned },
      version: Number(r.version),
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
      updatedBy: r.updated_by,
      publishedAt: num(r.published_at),
    };
  }

  async savePostmortem(p: Postmortem, expectVersion: number): Promise<boolean> {
    const row = {
      status: p.status,
      ...p.sections,
      version: p.version,
      updated_at: p.updatedAt,
      updated_by: p.updatedBy,
      published_at: p.publishedAt,
    };
    if (expectVersion === 0) {
      // Two first saves racing: the primary key lets one in.
      const r = await this.db
        .insertInto('incident_postmortems')
        .values({ incident_id: p.incidentId, created_at: p.createdAt, ...row })
        .onConflict((oc) => oc.column('incident_id').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    }
    const r = await this.db
      .updateTable('incident_postmortems')
      .set(row)
      .where('incident_id', '=', p.incidentId)
      .where('version', '=', expectVersion)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async addActionItem(item: Omit<ActionItem, 'id'>): Promise<ActionItem> {
    const r = await this.db
      .insertInto('incident_action_items')
      .values({
        incident_id: item.incidentId,
        title: item.title,
        owner: item.owner,
        due: item.due,
        kind: item.kind,
        status: item.status,
        created_at: item.createdAt,
        created_by: item.createdBy,
        updated_at: item.updatedAt,
        done_at: item.doneAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...item, id: Number(r.id) };
  }

  async getActionItem(id: number): Promise<ActionItem | undefined> {
    const r = await this.db.selectFrom('incident_action_items').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toItem(r) : undefined;
  }

  async updateActionItem(i: ActionItem): Promise<void> {
    await this.db
      .updateTable('incident_action_items')
      .set({ title: i.title, owner: i.owner, due: i.due, kind: i.kind, status: i.status, updated_at: i.updatedAt, done_at: i.doneAt })
      .where('id', '=', i.id)
      .execute();
  }

  async listActionItems(f: ActionItemFilter): Promise<ActionItem[]> {
    let q = this.db.selectFrom('incident_action_items').selectAll();
    if (f.statuses) q = f.statuses.length ? q.where('status', 'in', [...f.statuses]) : q.where('id', '<', 0);
    if (f.owner !== undefined) q = q.where('owner', '=', f.owner);
    if (f.incidentId !== undefined) q = q.where('incident_id', '=', f.incidentId);
    return (await q.orderBy('id').execute()).map(toItem);
  }
}
