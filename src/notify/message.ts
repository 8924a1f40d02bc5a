import type { MessageLink, Notification, NotificationAlert } from '../model/notification.js';

/**
 * What a notifier delivers: one flush of one alert group to one receiver — the pipeline's
 * Notification (model/notification.ts), stored as JSON in outbox jobs.
 */
export type NotificationMessage = Notification;
export type MessageAlert = NotificationAlert;
export type { MessageLink };
