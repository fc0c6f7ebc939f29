import type { Gate, Priority, TimerKind } from './handover.types.js';
import type { JsonObject } from './json.types.js';
import type { Policy } from './policy.js';
import type { DecisionRequest, DueTimer, FreezeCheck, FreezeConflict } from './rules/index.js';

// What the machine receives. Commands (handover.commands.ts) carry what a caller sends; events add who
// sent it where a guard needs to know (separation of duties, one decision per principal).

export interface SubmitEvent {
  type: 'SUBMIT' | 'RESUBMIT';
  at: string;
  principalId: string | null;
  policy: Policy;
  /** Readiness reminders count back from it; null schedules none. */
  targetGoLive: string | null;
}

export const DECISION_EVENT_TYPES = ['APPROVE', 'REQUEST_CHANGES', 'REJECT', 'REJECT_FINAL'] as const;
export type DecisionEventType = (typeof DECISION_EVENT_TYPES)[number];

export interface DecisionEvent extends DecisionRequest {
  type: DecisionEventType;
  at: string;
  gate: Gate;
  comment: string | null;
}

export type HandoverEvent =
  /** `fields` names what changed; `targetGoLive` is the new date when it moved (it re-anchors the reminders). */
  | { type: 'EDIT'; at: string; fields: string[]; targetGoLive: string | null }
  | SubmitEvent
  | {
      type: 'ATTEST';
      at: string;
      principalId: string | null;
      key: string;
      evidence: string;
      note: string | null;
    }
  | { type: 'WAIVE'; at: string; principalId: string | null; key: string; reason: string }
  /** Probe an automated criterion again (its evidence expired, or is about to). */
  | { type: 'PROBE'; at: string; key: string }
  | {
      type: 'RESULT';
      at: string;
      principalId: string | null;
      key: string;
      passed: boolean;
      detail: string | null;
    }
  | DecisionEvent
  | {
      type: 'SCHEDULE_GO_LIVE';
      at: string;
      windowStart: string;
      windowEnd: string;
      freeze: FreezeCheck | null;
      override: { reason: string } | null;
      /** The scheduler's roles: an override needs one the policy names. */
      principalRoles: readonly string[];
    }
  | { type: 'CONFIRM_GO_LIVE'; at: string }
  | { type: 'FREEZE_CONFLICT'; at: string; conflicts: FreezeConflict[] }
  /** A freeze noted over the window was lifted: its conflicts are taken back. */
  | { type: 'FREEZE_LIFTED'; at: string; freezeWindowId: string }
  | { type: 'ROLLBACK'; at: string; reason: string }
  | { type: 'RECORD_INCIDENT'; at: string; reference: string; priority: Priority; summary: string }
  | { type: 'RESOLVE_INCIDENT'; at: string; reference: string }
  | {
      type: 'CREATE_ACTION';
      at: string;
      principalId: string | null;
      title: string;
      ownerId: string | null;
      dueAt: string | null;
    }
  /** A new owner; `dueAt` sets or moves the due date (null leaves it as it is). */
  | { type: 'ASSIGN_ACTION'; at: string; key: string; ownerId: string; dueAt: string | null }
  | {
      type: 'CLOSE_ACTION';
      at: string;
      key: string;
      principalId: string | null;
      /** The closer's roles: the owner closes its own, the PMO and SMO any. */
      principalRoles: readonly string[];
      note: string | null;
    }
  | { type: 'RECORD_LESSON'; at: string; principalId: string | null; text: string }
  /** A durable timer came due: the machine says what it does (a notice, the end of an ELS period, nothing). */
  | { type: 'TIMER_DUE'; at: string; timer: DueTimer }
  | { type: 'HOLD'; at: string; reason: string }
  | { type: 'RESUME'; at: string }
  | { type: 'CANCEL'; at: string; reason: string };

export type HandoverEventType = HandoverEvent['type'];

export const HANDOVER_EVENT_TYPES = [
  'EDIT',
  'SUBMIT',
  'RESUBMIT',
  'ATTEST',
  'WAIVE',
  'PROBE',
  'RESULT',
  'APPROVE',
  'REQUEST_CHANGES',
  'REJECT',
  'REJECT_FINAL',
  'SCHEDULE_GO_LIVE',
  'CONFIRM_GO_LIVE',
  'FREEZE_CONFLICT',
  'FREEZE_LIFTED',
  'ROLLBACK',
  'RECORD_INCIDENT',
  'RESOLVE_INCIDENT',
  'CREATE_ACTION',
  'ASSIGN_ACTION',
  'CLOSE_ACTION',
  'RECORD_LESSON',
  'TIMER_DUE',
  'HOLD',
  'RESUME',
  'CANCEL',
] as const satisfies readonly HandoverEventType[];

// Params of the machine's effect actions. They are declared by the machine and returned by the pure
// transition, never run inline: applyCommand turns them into Effects for the outbox.

export interface TimerSpec {
  kind: TimerKind;
  /** ISO 8601 duration from the command's `at`. */
  delay: string;
  /** The ELS period an ELS timer belongs to: a timer of an earlier period is recognisably stale. */
  period?: number;
  /** Fire every `delay` until cancelled (ELS follow-ups). */
  repeat?: boolean;
  /** For readiness reminders: the offset before go-live this one stands for (one timer per offset). */
  before?: string;
  /** What the timer is about, for timers of one item: the criterion that expires, the action that comes due. */
  subject?: string;
}

/** The domain events a transition announces (webhooks, e-mail, the event stream). */
export const NOTIFY_EVENTS = [
  'deliverable.status_changed',
  'els.extended',
  'reminder.readiness',
  'reminder.decision_overdue',
  'reminder.decision_escalation',
  'els.follow_up',
  'schedule.conflict',
  'criterion.expired',
  'reminder.action_due',
  'action.created',
  'action.closed',
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

export interface ProbeParams {
  round: number;
  /** When the probes were asked for: the worker's job is answered by a result given after it. */
  requestedAt: string;
  criteria: { key: string; url: string }[];
}
export interface ScheduleTimersParams {
  timers: TimerSpec[];
}
export interface CancelTimersParams {
  kinds: readonly TimerKind[];
}
export interface NotifyParams {
  event: NotifyEvent;
  data: JsonObject;
}
