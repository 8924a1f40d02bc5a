export const POSTMORTEM_STATUSES = ['draft', 'in_review', 'published'] as const;
export type PostmortemStatus = (typeof POSTMORTEM_STATUSES)[number];

/** The sections of a post-mortem, in document order; each is Markdown text people edit. */
export const POSTMORTEM_SECTIONS = ['summary', 'impact', 'detection', 'root_cause', 'timeline', 'resolution', 'lessons_learned'] as const;
export type PostmortemSection = (typeof POSTMORTEM_SECTIONS)[number];
export type PostmortemSections = Readonly<Record<PostmortemSection, string>>;

export interface Postmortem {
  readonly incidentId: string;
  readonly status: PostmortemStatus;
  readonly sections: PostmortemSections;
  /** Counts up with every save: a writer that sends the version it read cannot overwrite someone else's edit. */
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly updatedBy: string;
  readonly publishedAt: number | null;
}

export const ACTION_KINDS = ['immediate', 'preventive'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];
export const ACTION_STATUSES = ['open', 'in_progress', 'done'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export interface ActionItem {
  readonly id: number;
  readonly incidentId: string;
  readonly title: string;
  readonly owner: string | null;
  /** A calendar day, YYYY-MM-DD: due by the end of it. */
  readonly due: string | null;
  readonly kind: ActionKind;
  readonly status: ActionStatus;
  readonly createdAt: number;
  readonly createdBy: string;
  readonly updatedAt: number;
  readonly doneAt: number | null;
}

export interface ActionItemFilter {
  /** Any of these statuses; absent: all. */
  readonly statuses?: readonly ActionStatus[];
  readonly owner?: string;
  readonly incidentId?: string;
}

/** Persistence of post-mortems and action items; every method is one atomic step. */
export interface FollowUpRepo {
  getPostmortem(incidentId: string): Promise<Postmortem | undefined>;
  /** Inserts or replaces; when `expectVersion` is given, only if the stored version is that one (0: none stored). Returns false when it was not. */
  savePostmortem(p: Postmortem, expectVersion: number): Promise<boolean>;
  addActionItem(item: Omit<ActionItem, 'id'>): Promise<ActionItem>;
  getActionItem(id: number): Promise<ActionItem | undefined>;
  updateActionItem(item: ActionItem): Promise<void>;
  listActionItems(filter: ActionItemFilter): Promise<ActionItem[]>;
}
