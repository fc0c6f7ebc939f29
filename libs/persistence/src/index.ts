export { Database } from './database.js';
export type { DataSourceOptions } from './data-source.js';
export type { AuditEventRow } from './stores/audit.store.js';
export type { CalendarEntryRow } from './stores/calendar.store.js';
export type { PrincipalRow, ProjectRow, ServiceRow } from './stores/catalogue.store.js';
export type { ChecklistRow } from './stores/checklist.store.js';
export type { IdempotencyRecord } from './stores/idempotency.store.js';
export type { PolicyRow } from './stores/policy.store.js';
export type { TimerRow } from './stores/timer.store.js';
export type { WebhookDeliveryRow, WebhookRow } from './stores/webhook.store.js';
export type { FreezeWindowRow } from './stores/freeze-window.store.js';
export type { LessonCursor, LessonRow, LessonSearch } from './stores/lesson.store.js';
export type { DelegationInForce, DelegationRow, NamedDelegationRow } from './stores/delegation.store.js';
export type {
  AuditAppend,
  CriterionRow,
  TimerAppend,
  DeliverableChange,
  DeliverableFields,
  DeliverableFilter,
  DeliverableHead,
  DeliverableRow,
  InboxCursor,
  InboxEntry,
  InboxQuery,
  LoadedDeliverable,
  LoadedTimer,
  OutboxAppend,
} from './stores/deliverable.store.js';
export type { OutboxRow } from './stores/outbox.store.js';
export type { EventPosition, EventRow } from './stores/event.store.js';
export type { EvidenceKeyRow, NewEvidenceKey } from './stores/evidence-key.store.js';
export {
  decodeCursor,
  decodeInboxCursor,
  decodeLessonCursor,
  encodeCursor,
  encodeInboxCursor,
  encodeLessonCursor,
  type Page,
  type PageCursor,
  type PageRequest,
} from './stores/pagination.js';
export { isConnectionError } from './connection-errors.js';
