import { api } from './api';
import type { IncidentDetailView, Severity } from './types';

const path = (id: string) => `/api/v1/incidents/${encodeURIComponent(id)}`;

/** The incident actions of the API; each resolves with the incident as it now is. */
export const incidentActions = {
  acknowledge: (id: string, note?: string) => api.post<IncidentDetailView>(`${path(id)}/acknowledge`, note ? { note } : {}),
  mitigate: (id: string, note?: string) => api.post<IncidentDetailView>(`${path(id)}/mitigate`, note ? { note } : {}),
  resolve: (id: string, note?: string) => api.post<IncidentDetailView>(`${path(id)}/resolve`, note ? { note } : {}),
  note: (id: string, text: string) => api.post(`${path(id)}/notes`, { text }),
  assign: (id: string, assignee: string | null) => api.post<IncidentDetailView>(`${path(id)}/assign`, { assignee }),
  severity: (id: string, severity: Severity) => api.post<IncidentDetailView>(`${path(id)}/severity`, { severity }),
  postmortem: (id: string) => api.get<string>(`${path(id)}/postmortem`),
};
