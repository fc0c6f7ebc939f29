// @baton/handover: the handover workflow as pure domain code. It imports xstate and nothing else.
export { decidedBy, type CommandOutcome } from './apply-command.js';
export { assertUnreachable } from './assert-unreachable.js';
export {
  assertValidCriteria,
  criteriaProblems,
  CRITERION_KEY_PATTERN,
  validForInRange,
  type CriterionSpec,
} from './criterion.js';
export { DEFAULT_CHECKLIST } from './default-checklist.js';
export { DEFAULT_POLICIES } from './default-policies.js';
export type { Approval, CriterionView, GateView, HandoverView } from './describe-handover.js';
export { practiceCoverage, UNCLASSIFIED, type PracticeCoverage } from './practice-coverage.js';
export { GLOSSARY, type GlossaryStatus, type GlossaryTerm } from './glossary.data.js';
export {
  findPractice,
  PMBOK_DOMAINS,
  PRACTICE_GROUPS,
  PRACTICES,
  practicesTable,
  PRINCE2_TOUCHPOINTS,
  type Practice,
} from './practices.data.js';
export {
  COMMAND_OF_EVENT,
  isIsoTime,
  toHandoverEvent,
  type CommandOf,
  type HandoverCommand,
  type HandoverCommandType,
} from './handover.commands.js';
export {
  ROUND_OF_GATE,
  type CriterionState,
  type DecisionRecord,
  type FollowOnAction,
  type HandoverContext,
  type LessonRecord,
  type IncidentRecord,
} from './handover.context.js';
export { toEffects, type Effect, type EffectType } from './handover.effects.js';
export {
  HANDOVER_ERROR_CODES,
  HandoverError,
  HandoverErrorCode,
  isHandoverError,
} from './handover.errors.js';
export {
  DECISION_EVENT_TYPES,
  HANDOVER_EVENT_TYPES,
  NOTIFY_EVENTS,
  type HandoverEvent,
  type HandoverEventType,
  type NotifyEvent,
  type TimerSpec,
} from './handover.events.js';
export {
  handoverMachine,
  MACHINE_VERSION,
  type HandoverInput,
  type HandoverMachine,
} from './handover.machine.js';
export {
  createHandover,
  restoreHandover,
  statusOf,
  type CreatedHandover,
  type HandoverSnapshot,
  type RestoredHandover,
} from './handover.snapshot.js';
export {
  ACTIONS,
  CHANGE_TYPES,
  CRITERION_BLOCKS,
  CRITERION_KINDS,
  CRITERION_STATUSES,
  DECISIONS,
  FINAL_STATUSES,
  FOLLOW_ON_ACTION_STATUSES,
  GATES,
  isFinalStatus,
  isStatus,
  PRIORITIES,
  SERVICE_TIERS,
  STATUSES,
  SYSTEM_ACTIONS,
  TIMER_KINDS,
  type Action,
  type Actor,
  type ChangeType,
  type CriterionBlocks,
  type CriterionKind,
  type CriterionStatus,
  type Decision,
  type FinalStatus,
  type FollowOnActionStatus,
  type Gate,
  type Priority,
  type ServiceTier,
  type Status,
  type StoredHandover,
  type SystemAction,
  type TimerKind,
} from './handover.types.js';
export { formatIsoDuration, isIsoDuration, parseIsoDuration } from './iso-duration.js';
export type { JsonObject, JsonPrimitive, JsonValue } from './json.types.js';
export {
  allowedActions,
  applyCommand,
  describeHandover,
  loadedFrom,
  loadHandover,
  type AppliedCommand,
  type LoadedHandover,
} from './loaded-handover.js';
export {
  ACTION_ROLES,
  DEFAULT_FREEZE_OVERRIDE_ROLES,
  delegationCycle,
  delegationProblems,
  delegationValid,
  freezeAllows,
  GATE_AWAITED_IN,
  holdsAnyRole,
  holdsRole,
  MAX_DELEGATION_DAYS,
  roleRefusal,
  UNDELEGABLE_ROLES,
  type DelegationProblem,
  type DelegationSpec,
  type DueTimer,
  type FreezeCheck,
  type FreezeConflict,
  type Refusal,
  type RoleRule,
} from './rules/index.js';
export { NOTICE_EVENT_OF_TIMER } from './machine/timers.js';
export {
  assertValidPolicy,
  gatePolicyOf,
  policyProblems,
  requiresActionOwners,
  type GatePolicy,
  type Policy,
} from './policy.js';
export {
  describeWorkflow,
  toMermaid,
  type WorkflowDescription,
  type WorkflowState,
} from './workflow-diagram.js';
