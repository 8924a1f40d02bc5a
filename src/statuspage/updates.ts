import { invalid } from '../model/errors.js';
import { UPDATE_STATUSES, type IncidentInput, type PublicUpdate, type UpdateStatus } from './types.js';
import type { UpdateStore } from './update-store.js';

export interface PublicUpdateInput {
  readonly status: UpdateStatus;
  readonly message: string;
  readonly title?: string | undefined;
}

export interface PublicUpdatesOptions {
  readonly store: UpdateStore;
  /** The incident, or a not-found DomainError. */
  readonly incident: (id: string) => Promise<IncidentInput>;
  readonly now: () => number;
  /** After an update is stored: the page's cache, the internal timeline, the subscribers. */
  readonly onPosted?: (update: PublicUpdate, incident: IncidentInput) => Promise<void>;
}

export const MAX_MESSAGE = 10_000;
export const MAX_TITLE = 200;
// Control characters other than tab and newline have no place in a public message (nor in XML).
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F\uFFFE\uFFFF]/;

/** Checks text meant for the public: not blank, not too long, no control characters. */
export function publicText(value: string, what: string, max: number): string {
  const text = value.replace(/\r\n?/g, '\n').trim();
  if (!text) throw invalid(`${what} must not be empty`);
  if (text.length > max) throw invalid(`${what} is ${text.length} characters long; at most ${max} are allowed`);
  if (CONTROL.test(text)) throw invalid(`${what} contains a control character`);
  return text;
}

/**
 * Public updates of incidents: what responders tell the public (investigating → identified →
 * monitoring → resolved). Kept apart from the incident's internal timeline and notes, which
 * never reach the status page.
 */
export class PublicUpdates {
  constructor(private readonly opts: PublicUpdatesOptions) {}

  async post(incidentId: string, input: PublicUpdateInput, author: string): Promise<PublicUpdate> {
    if (!UPDATE_STATUSES.includes(input.status)) throw invalid(`status must be one of ${UPDATE_STATUSES.join(', ')}`);
    const message = publicText(input.message, 'message', MAX_MESSAGE);
    const title = input.title === undefined ? null : publicText(input.title, 'title', MAX_TITLE);
    const incident = await this.opts.incident(incidentId);
    const update = await this.opts.store.add({ incidentId: incident.id, status: input.status, message, title, author, at: this.opts.now() });
    await this.opts.onPosted?.(update, incident);
    return update;
  }

  async list(incidentId: string): Promise<PublicUpdate[]> {
    const incident = await this.opts.incident(incidentId);
    const rows = await this.opts.store.forIncidents([incident.id]);
    return rows.sort((a, b) => a.at - b.at || a.id - b.id);
  }
}
