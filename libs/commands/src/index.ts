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
  type CommandObserver,
  type CreateDeliverableInput,
  type ExecuteOptions,
  type TimerOutcome,
} from './handover-commands.js';
export { decide, tierPolicy, type CommandInput, type CommittedDeliverable, type Decision } from './decide.js';
export { DELEGATION_CREATED_EVENT, DELEGATION_REVOKED_EVENT, EVENT_TYPES } from './event-types.js';
export { notificationFor, type Notification, type NotifiedDeliverable } from './notification-audience.js';
export { HandoverCache, type HandoverAnswers, type HeldHandover } from './handover-cache.js';
