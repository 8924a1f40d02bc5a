export { WEEKDAYS, OVERRIDE_LAYER, finalShifts, layerShifts, restrictionWindows, shiftAt, whoIsOnCall } from './schedule.js';
export type { Layer, Override, Restriction, Schedule, Shift, Weekday } from './schedule.js';
export { isValidTimeZone, formatInZone, parseInstant, parsePlain, resolve, toPlain } from './local-time.js';
export {
  CHANNELS,
  CHANNEL_NAMES,
  checkOncall,
  pagingConfigSchema,
  escalationPoliciesSchema,
  peopleSchema,
  schedulesSchema,
  teamsSchema,
} from './config.js';
export type { Channel, ContactKind, EscalationPolicyConfig, OncallIssue, PagingConfig, OncallSections, PersonConfig, ScheduleConfig, TeamConfig } from './config.js';
export { OncallDirectory, compileSchedule } from './directory.js';
export type { EscalationLevel, EscalationPolicy, NotificationRule, OverrideSource, Person, Target } from './directory.js';
export { shiftsCalendar } from './calendar.js';
export type { CalendarOptions, CalendarShift } from './calendar.js';
export { EscalationEngine } from './escalation/engine.js';
export type { EscalationEngineOptions, GroupNotification, PageLink } from './escalation/engine.js';
export { MemoryEscalationStore } from './escalation/memory-store.js';
export { LinkSigner } from './escalation/links.js';
export type { LinkAction, LinkClaims, VerifyResult } from './escalation/links.js';
export type {
  Effects,
  Escalation,
  EscalationEvent,
  EscalationFilter,
  EscalationStatus,
  EscalationStore,
  Followup,
  NewEscalation,
  NewFollowup,
  PageInfo,
  PageJob,
} from './escalation/types.js';
export { CalendarFeeds, MemoryFeedSecretStore } from './calendar-feeds.js';
export type { FeedKind, FeedRef, FeedSecret, FeedSecretStore } from './calendar-feeds.js';
