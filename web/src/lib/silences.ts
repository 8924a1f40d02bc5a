import { api } from './api';

/** Alertmanager API v2 silence shapes (public, fixed). */
export interface AmMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}
export interface AmSilence {
  id: string;
  status: { state: 'active' | 'pending' | 'expired' };
  updatedAt?: string;
  matchers: AmMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}
export interface NewSilence {
  matchers: AmMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  id?: string;
}

export const silenceApi = {
  list: () => api.get<AmSilence[]>('/api/v2/silences'),
  create: (s: NewSilence) => api.post<{ silenceID: string }>('/api/v2/silences', s),
  expire: (id: string) => api.del(`/api/v2/silence/${encodeURIComponent(id)}`),
};

export function formatMatcher(m: AmMatcher): string {
  const op = m.isRegex ? (m.isEqual === false ? '!~' : '=~') : m.isEqual === false ? '!=' : '=';
  return `${m.name}${op}${JSON.stringify(m.value)}`;
}

/** `name="v"`, `name!="v"`, `name=~"re"`, `name!~"re"` → a matcher, or undefined. */
export function parseMatcher(text: string): AmMatcher | undefined {
  const m = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|(\S*))\s*$/.exec(text);
  if (!m) return undefined;
  const op = m[2] as string;
  return { name: m[1] as string, value: m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : (m[4] ?? ''), isRegex: op.includes('~'), isEqual: !op.startsWith('!') };
}
