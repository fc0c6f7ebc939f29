import { findAction, type HandoverContext } from '../handover.context.js';
import { HandoverErrorCode } from '../handover.errors.js';
import type { Status, TimerKind } from '../handover.types.js';
import type { Refusal } from './refusal.js';

/** A durable timer that came due, as the command path reads it from its row. */
export interface DueTimer {
  id: string;
  kind: TimerKind;
  dueAt: string;
  /** The ELS period an els_period_end or els_follow_up timer belongs to. */
  period: number | null;
  /** For readiness reminders: the offset before go-live this one stands for. */
  before: string | null;
  /** For repeating timers (ELS follow-ups): how long until the next one. */
  repeatEvery: string | null;
  /** The criterion (attestation_expiry) or action (action_due) the timer is about. */
  subject: string | null;
}

/**
 * An ELS period end counts only for the current period: one from an earlier period is stale. An action's
 * due-date reminder counts while the action is open and still due when the timer is (its due date moved:
 * the timer of the new date reminds).
 */
export function timerCurrent(context: HandoverContext, timer: DueTimer): Refusal | null {
  if (timer.kind === 'els_period_end' && timer.period !== context.elsPeriod) {
    return staleTimer(timer, `the deliverable is in ELS period ${context.elsPeriod}`);
  }
  if (timer.kind === 'action_due') {
    const action = timer.subject === null ? undefined : findAction(context, timer.subject);
    if (action === undefined || action.status !== 'open') {
      return staleTimer(timer, `follow-on action ${timer.subject ?? '?'} is not open`);
    }
    if (action.dueAt === null || Date.parse(action.dueAt) !== Date.parse(timer.dueAt)) {
      return staleTimer(timer, `follow-on action ${action.key} is now due ${action.dueAt ?? 'never'}`);
    }
  }
  return null;
}

/** While a deliverable is on hold no timer fires; the timers that came due fire once on resume. */
export function notOnHold(status: Status, timer: DueTimer): Refusal | null {
  return status === 'on_hold'
    ? {
        code: HandoverErrorCode.TimerWaits,
        message: `The ${timer.kind} timer waits: the deliverable is on hold, and the timer fires on resume`,
        details: { timerId: timer.id, kind: timer.kind },
      }
    : null;
}

/** A timer the deliverable's state no longer takes (it moved on): it is dropped, never sent late. */
export function staleTimer(timer: DueTimer, why: string): Refusal {
  return {
    code: HandoverErrorCode.StaleTimer,
    message: `The ${timer.kind} timer${timer.period === null ? '' : ` of ELS period ${timer.period}`} is stale: ${why}`,
    details: {
      timerId: timer.id,
      kind: timer.kind,
      ...(timer.period === null ? {} : { period: timer.period }),
    },
  };
}
