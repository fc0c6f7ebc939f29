import { NOTIFY_EVENTS, type TimerKind } from '@baton/handover';

/** The event a notice timer sends when it fires (the ELS period end runs a command instead). */
export const NOTICE_EVENT_OF_TIMER: Record<Exclude<TimerKind, 'els_period_end'>, string> = {
  readiness: 'reminder.readiness',
  decision_overdue: 'reminder.decision_overdue',
  decision_escalation: 'reminder.decision_escalation',
  els_follow_up: 'els.follow_up',
};

/** Every event type a webhook can subscribe to. */
export const EVENT_TYPES: readonly string[] = [...NOTIFY_EVENTS, ...Object.values(NOTICE_EVENT_OF_TIMER)];
