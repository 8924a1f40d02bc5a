import type { PipelineListener } from '../model/notification.js';
import type { IncidentService } from './service.js';

export interface IncidentSubscriberOptions {
  /**
   * Muting stages (by name) under which a firing alert opens or joins no incident — the
   * maintenance stage: planned work pages nobody and opens nothing. Other stages (silences)
   * only stop notifications.
   */
  readonly holdWhenMutedBy?: readonly string[];
}

/**
 * Incidents as a subscriber of the alert pipeline: firing alerts open or join incidents,
 * resolved ones may mitigate or resolve them, and delivery outcomes land on the timeline
 * (the first failure of a notification as it happens; the final outcome with its attempt
 * count). Idempotent, as the pipeline requires.
 */
export function incidentSubscriber(service: IncidentService, opts: IncidentSubscriberOptions = {}): PipelineListener {
  const hold = new Set(opts.holdWhenMutedBy ?? []);
  return async (ev) => {
    if (ev.type === 'alert') {
      // Held back: no incident while such a stage mutes it; the pipeline announces it again when it lets go.
      if (ev.kind === 'firing' && ev.mutedBy?.some((v) => hold.has(v.stage))) return;
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
