import type { PipelineListener } from '../model/notification.js';
import type { IncidentService } from './service.js';

/**
 * Incidents as a subscriber of the alert pipeline: firing alerts open or join incidents,
 * resolved ones may mitigate or resolve them, and delivery outcomes land on the timeline
 * (the first failure of a notification as it happens; the final outcome with its attempt
 * count). Idempotent, as the pipeline requires.
 */
export function incidentSubscriber(service: IncidentService): PipelineListener {
  return async (ev) => {
    if (ev.type === 'alert') {
      await service.handleAlert({ kind: ev.kind, alert: ev.alert });
      return;
    }
    const d = ev.delivery;
    if (d.outcome === 'retry' && !d.firstFailure) return;
    await service.recordNotification({
      receiver: d.receiver,
      fingerprints: d.fingerprints,
      ok: d.outcome === 'sent',
      status: d.status,
      attempts: d.attempts,
      ...(d.outcome === 'retry' ? { retrying: true } : {}),
      ...(d.error !== undefined ? { error: d.error } : {}),
    });
  };
}
