// @baton/commands: the command path the api and the worker share, and what it writes (audit chain, jobs).
export {
  auditHash,
  canonicalJson,
  verifyChain,
  type ChainBreak,
  type HashedAuditContent,
} from './audit-hash.js';
export {
  derivedId,
  emailJob,
  eventJob,
  outboxJob,
  planEffects,
  timerJob,
  type EffectPlan,
} from './effect-jobs.js';
export {
  HandoverCommands,
  type CommandInput,
  type CommandObserver,
  type CreateDeliverableInput,
  type ExecuteOptions,
} from './handover-commands.js';
export { EVENT_TYPES, NOTICE_EVENT_OF_TIMER } from './event-types.js';
export { notificationFor, type Notification, type NotifiedDeliverable } from './notification-audience.js';
