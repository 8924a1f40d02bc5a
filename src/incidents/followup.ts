import type { Clock } from '../model/clock.js';
import { conflict, invalid, notFound } from '../model/errors.js';
import type { IncidentService } from './service.js';
import {
  POSTMORTEM_SECTIONS,
  type ActionItem,
  type ActionItemFilter,
  type ActionKind,
  type ActionStatus,
  type FollowUpRepo,
  type Postmortem,
  type PostmortemSection,
  type PostmortemStatus,
} from './followup-types.js';
import { draftSections, postmortemMarkdown } from './postmortem.js';

export interface PostmortemChange {
  readonly status?: PostmortemStatus;
  readonly sections?: Partial<Record<PostmortemSection, string>>;
  /** The version the writer read (0: the unsaved draft); a different stored version is a conflict. */
  readonly version?: number;
}

export interface NewActionItem {
  readonly title: string;
  readonly owner?: string | null;
  readonly due?: string | null;
  readonly kind: ActionKind;
}

export interface ActionItemChange {
  readonly title?: string;
  readonly owner?: string | null;
  readonly due?: string | null;
  readonly kind?: ActionKind;
  readonly status?: ActionStatus;
}

/** A post-mortem as read: the stored one, or the generated draft (`stored: false`, version 0). */
export interface PostmortemRead {
  readonly postmortem: Postmortem;
  readonly stored: boolean;
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checks a YYYY-MM-DD day is a real calendar day. */
export function validDay(day: string): boolean {
  const m = DAY_RE.exec(day);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === day;
}

/** Overdue: not done, and its due day is before `today` (YYYY-MM-DD in the reader's time zone). */
export function isOverdue(item: ActionItem, today: string): boolean {
  return item.status !== 'done' && item.due !== null && item.due < today;
}

/** Action items in the order people read them: due first (undated last), then oldest. */
export function byDue(a: ActionItem, b: ActionItem): number {
  if (a.due !== b.due) return a.due === null ? 1 : b.due === null ? -1 : a.due < b.due ? -1 : 1;
  return a.id - b.id;
}

/**
 * What follows an incident: its post-mortem (stored, edited, reviewed, published) and its
 * action items. Changes that matter to responders land on the incident's timeline.
 */
export class FollowUpService {
  constructor(
    private readonly opts: { readonly repo: FollowUpRepo; readonly incidents: IncidentService; readonly clock: Clock },
  ) {}

  private get repo(): FollowUpRepo {
    return this.opts.repo;
  }

  async postmortem(incidentId: string): Promise<PostmortemRead> {
    const stored = await this.repo.getPostmortem(incidentId);
    if (stored) return { postmortem: stored, stored: true };
    const detail = await this.opts.incidents.detail(incidentId);
    const now = this.opts.clock.now();
    return {
      stored: false,
      postmortem: { incidentId, status: 'draft', sections: draftSections(detail), version: 0, createdAt: now, updatedAt: now, updatedBy: 'vigil', publishedAt: null },
    };
  }

  async postmortemMarkdown(incidentId: string): Promise<string> {
    const [detail, stored, items] = await Promise.all([this.opts.incidents.detail(incidentId), this.repo.getPostmortem(incidentId), this.actionItems({ incidentId })]);
    return postmortemMarkdown(detail, this.opts.clock.now(), stored, items);
  }

  async savePostmortem(incidentId: string, change: PostmortemChange, actor: string): Promise<Postmortem> {
    const { postmortem: current, stored } = await this.postmortem(incidentId);
    if (change.version !== undefined && change.version !== current.version) {
      throw conflict(`the post-mortem of ${incidentId} is at version ${current.version}, not ${change.version}: someone else saved it meanwhile; reload and apply your changes again`);
    }
    for (const k of Object.keys(change.sections ?? {})) {
      if (!(POSTMORTEM_SECTIONS as readonly string[]).includes(k)) throw invalid(`unknown post-mortem section "${k}"; sections are ${POSTMORTEM_SECTIONS.join(', ')}`);
    }
    const now = this.opts.clock.now();
    const status = change.status ?? current.status;
    const next: Postmortem = {
      incidentId,
      status,
      sections: { ...current.sections, ...change.sections },
      version: current.version + 1,
      createdAt: stored ? current.createdAt : now,
      updatedAt: now,
      updatedBy: actor,
      publishedAt: status === 'published' ? (current.status === 'published' ? current.publishedAt : now) : null,
    };
    if (!(await this.repo.savePostmortem(next, current.version))) {
      throw conflict(`the post-mortem of ${incidentId} was saved by someone else meanwhile; reload and apply your changes again`);
    }
    if (!stored || status !== current.status) {
      const what = !stored ? `Post-mortem started by ${actor}` : `Post-mortem moved from ${current.status.replace('_', ' ')} to ${status.replace('_', ' ')} by ${actor}`;
      await this.opts.incidents.record(incidentId, 'postmortem', actor, what, { status, version: next.version });
    }
    return next;
  }

  private checkItem(fields: { title?: string; due?: string | null }): void {
    if (fields.title !== undefined && !fields.title.trim()) throw invalid('an action item needs a title');
    if (fields.due && !validDay(fields.due)) throw invalid(`due must be a day as YYYY-MM-DD, got "${fields.due}"`);
  }

  async addActionItem(incidentId: string, input: NewActionItem, actor: string): Promise<ActionItem> {
    await this.opts.incidents.get(incidentId);
    this.checkItem(input);
    const now = this.opts.clock.now();
    const item = await this.repo.addActionItem({
      incidentId,
      title: input.title.trim(),
      owner: input.owner?.trim() || null,
      due: input.due ?? null,
      kind: input.kind,
      status: 'open',
      createdAt: now,
      createdBy: actor,
      updatedAt: now,
      doneAt: null,
    });
    const who = item.owner ? `, owner ${item.owner}` : '';
    const due = item.due ? `, due ${item.due}` : '';
    await this.opts.incidents.record(incidentId, 'action_item', actor, `Action item #${item.id} (${item.kind}) added by ${actor}: ${item.title}${who}${due}`, { action_item: item.id });
    return item;
  }

  async actionItem(id: number): Promise<ActionItem> {
    const item = await this.repo.getActionItem(id);
    if (!item) throw notFound(`action item ${id}`);
    return item;
  }

  /** Changes an action item; `incidentId`, when given, must be the one it belongs to. */
  async updateActionItem(id: number, change: ActionItemChange, actor: string, incidentId?: string): Promise<ActionItem> {
    const item = await this.actionItem(id);
    if (incidentId !== undefined && item.incidentId !== incidentId) throw notFound(`action item ${id} of ${incidentId}`);
    this.checkItem(change);
    const now = this.opts.clock.now();
    const status = change.status ?? item.status;
    const next: ActionItem = {
      ...item,
      ...(change.title !== undefined ? { title: change.title.trim() } : {}),
      ...(change.owner !== undefined ? { owner: change.owner?.trim() || null } : {}),
      ...(change.due !== undefined ? { due: change.due } : {}),
      ...(change.kind !== undefined ? { kind: change.kind } : {}),
      status,
      updatedAt: now,
      doneAt: status === 'done' ? (item.status === 'done' ? item.doneAt : now) : null,
    };
    await this.repo.updateActionItem(next);
    if (status !== item.status) {
      await this.opts.incidents.record(item.incidentId, 'action_item', actor, `Action item #${id} ${status.replace('_', ' ')} (was ${item.status.replace('_', ' ')}), by ${actor}: ${next.title}`, {
        action_item: id,
        from: item.status,
        to: status,
      });
    }
    return next;
  }

  async actionItems(filter: ActionItemFilter): Promise<ActionItem[]> {
    return (await this.repo.listActionItems(filter)).sort(byDue);
  }
}
