// The vocabulary of the handover workflow. Each list is data (for validation and the API's enums) and a type.

export const STATUSES = [
  'draft',
  'readiness',
  'acceptance',
  'rework',
  'approved',
  'scheduled',
  'early_life_support',
  'els_review',
  'operational',
  'on_hold',
  'cancelled',
  'rejected',
] as const;
export type Status = (typeof STATUSES)[number];

/**
 * The statuses no other status follows: the handover has ended. `operational` still takes the follow-on
 * actions and lessons learned of a live service (they change the record, never the status).
 */
export const FINAL_STATUSES = ['operational', 'cancelled', 'rejected'] as const satisfies readonly Status[];
export type FinalStatus = (typeof FINAL_STATUSES)[number];

export const GATES = ['acceptance', 'els_exit'] as const;
export type Gate = (typeof GATES)[number];

export const CHANGE_TYPES = ['new_service', 'major_change', 'minor_change', 'retirement'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export const DECISIONS = ['approve', 'request_changes', 'reject', 'reject_final'] as const;
export type Decision = (typeof DECISIONS)[number];

/** The commands people (and integrations) send; `allowedActions` answers with these names. */
export const ACTIONS = [
  'edit',
  'submit',
  'resubmit',
  'attest',
  'waive',
  'probe',
  'result',
  'decide',
  'schedule',
  'confirm',
  'rollback',
  'record_incident',
  'resolve_incident',
  'create_action',
  'assign_action',
  'close_action',
  'record_lesson',
  'hold',
  'resume',
  'cancel',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Commands only the system actor (worker, timers) sends. */
export const SYSTEM_ACTIONS = ['timer_due', 'freeze_conflict', 'freeze_lifted'] as const;
export type SystemAction = (typeof SYSTEM_ACTIONS)[number];

export const CRITERION_STATUSES = ['pending', 'passed', 'failed', 'waived'] as const;
export type CriterionStatus = (typeof CRITERION_STATUSES)[number];

export const CRITERION_KINDS = ['manual', 'automated'] as const;
export type CriterionKind = (typeof CRITERION_KINDS)[number];

export const CRITERION_BLOCKS = ['acceptance', 'go_live', 'els_exit'] as const;
export type CriterionBlocks = (typeof CRITERION_BLOCKS)[number];

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** A follow-on action is open until its owner (or the PMO or SMO) closes it. */
export const FOLLOW_ON_ACTION_STATUSES = ['open', 'closed'] as const;
export type FollowOnActionStatus = (typeof FOLLOW_ON_ACTION_STATUSES)[number];

export const TIMER_KINDS = [
  'readiness',
  'decision_overdue',
  'decision_escalation',
  'els_follow_up',
  'els_period_end',
  'attestation_expiry',
  'action_due',
] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

export const SERVICE_TIERS = [1, 2, 3, 4] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];

/** Who sends a command. `principalId: null` is the system itself (the worker reporting probes and timers). */
export interface Actor {
  principalId: string | null;
  roles: readonly string[];
}

/** A deliverable's machine state as the database keeps it. */
export interface StoredHandover {
  snapshot: unknown;
  machineVersion: number;
}

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

export function isFinalStatus(status: Status): status is FinalStatus {
  return (FINAL_STATUSES as readonly Status[]).includes(status);
}

export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}
