import { api } from './api';
import type { ActionItemBody, ActionItemPatchBody, ActionItemView, ActionItemsResponse, DeclareIncidentBody, IncidentDetailView, PostmortemBody, PostmortemView, Severity } from './types';

const path = (id: string) => `/api/v1/incidents/${encodeURIComponent(id)}`;

/** The incident actions of the API; each resolves with the incident as it now is. */
export const incidentActions = {
  acknowledge: (id: string, note?: string) => api.post<IncidentDetailView>(`${path(id)}/acknowledge`, note ? { note } : {}),
  mitigate: (id: string, note?: string) => api.post<IncidentDetailView>(`${path(id)}/mitigate`, note ? { note } : {}),
  resolve: (id: string, note?: string) => api.post<IncidentDetailView>(`${path(id)}/resolve`, note ? { note } : {}),
  note: (id: string, text: string) => api.post(`${path(id)}/notes`, { text }),
  assign: (id: string, assignee: string | null) => api.post<IncidentDetailView>(`${path(id)}/assign`, { assignee }),
  severity: (id: string, severity: Severity) => api.post<IncidentDetailView>(`${path(id)}/severity`, { severity }),
  reopen: (id: string, reason?: string) => api.post<IncidentDetailView>(`${path(id)}/reopen`, reason ? { reason } : {}),
  declare: (body: DeclareIncidentBody) => api.post<IncidentDetailView>('/api/v1/incidents', body),
  /** The stored post-mortem, or the generated draft when none is stored yet. */
  postmortem: (id: string) => api.get<PostmortemView>(`${path(id)}/postmortem`),
  postmortemMarkdown: (id: string) => api.get<string>(`${path(id)}/postmortem?format=markdown`),
  savePostmortem: (id: string, body: PostmortemBody) => api.put<PostmortemView>(`${path(id)}/postmortem`, body),
  actionItems: (id: string) => api.get<ActionItemsResponse>(`${path(id)}/action-items`),
  addActionItem: (id: string, body: ActionItemBody) => api.post<ActionItemView>(`${path(id)}/action-items`, body),
  updateActionItem: (item: number, body: ActionItemPatchBody) => api.patch<ActionItemView>(`/api/v1/action-items/${item}`, body),
};
