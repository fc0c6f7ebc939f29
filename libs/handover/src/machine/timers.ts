import {
  findAction,
  gatePolicy,
  openIncidentCounts,
  roundPolicy,
  unownedOpenActions,
  type FollowOnAction,
  type HandoverContext,
} from '../handover.context.js';
import type { NotifyEvent, NotifyParams, TimerSpec } from '../handover.events.js';
import { TIMER_KINDS, type Gate, type Status, type TimerKind } from '../handover.types.js';
import { formatIsoDuration, parseIsoDuration } from '../iso-duration.js';
import { gatePolicyOf, type Policy } from '../policy.js';
import { elsExitCriteria, GATE_AWAITED_IN, type DueTimer } from '../rules/index.js';

// The timer arithmetic of the machine: which timers a transition starts, and what a notice timer says.

export const DECISION_TIMERS: readonly TimerKind[] = ['decision_overdue', 'decision_escalation'];
/** Leaving readiness/acceptance for approved or rework: readiness reminders stop with the decision timers. */
export const GATE_TIMERS: readonly TimerKind[] = ['readiness', ...DECISION_TIMERS];
export const ALL_TIMERS: readonly TimerKind[] = TIMER_KINDS;
/** Reminders of follow-on actions: they outlive the handover, into operational. */
export const ACTION_TIMERS: readonly TimerKind[] = ['action_due'];
/** The timers of the handover itself, which stop when it ends. */
export const HANDOVER_TIMERS: readonly TimerKind[] = TIMER_KINDS.filter(
  (kind) => !ACTION_TIMERS.includes(kind),
);

/** The reminder of an action's due date (none without one); `subject` names the action. */
export function actionDueTimer(action: FollowOnAction | undefined, at: string): TimerSpec[] {
  if (action?.dueAt == null) return [];
  return [
    {
      kind: 'action_due',
      delay: formatIsoDuration(Math.max(0, Date.parse(action.dueAt) - Date.parse(at))),
      subject: action.key,
    },
  ];
}

/** Reminders counted back from `anchor` (the target go-live, or the scheduled window's start). */
export function readinessReminders(policy: Policy, anchor: string | null, at: string): TimerSpec[] {
  if (anchor === null) return [];
  const untilAnchor = Date.parse(anchor) - Date.parse(at);
  // API.md: a reminder whose moment has already passed is skipped, not sent late.
  return policy.readinessReminders.flatMap((before): TimerSpec[] => {
    const delay = untilAnchor - parseIsoDuration(before);
    return Number.isFinite(delay) && delay >= 0
      ? [{ kind: 'readiness', delay: formatIsoDuration(delay), before }]
      : [];
  });
}

/** The policy names one SLA; the reminder goes out when it has passed, the escalation when it has twice over. */
export function decisionTimers(context: HandoverContext, gate: Gate): TimerSpec[] {
  const { decisionSla } = gatePolicyOf(roundPolicy(context), gate);
  return [
    { kind: 'decision_overdue', delay: decisionSla },
    { kind: 'decision_escalation', delay: formatIsoDuration(2 * parseIsoDuration(decisionSla)) },
  ];
}

/** The end of the current ELS period. */
export function elsPeriodEnd(context: HandoverContext): TimerSpec[] {
  return [{ kind: 'els_period_end', delay: roundPolicy(context).elsDuration, period: context.elsPeriod }];
}

/** A new ELS period: its end, and follow-ups every `elsFollowUpEvery` until it ends. */
export function elsTimers(context: HandoverContext): TimerSpec[] {
  const policy = roundPolicy(context);
  return [
    ...elsPeriodEnd(context),
    { kind: 'els_follow_up', delay: policy.elsFollowUpEvery, period: context.elsPeriod, repeat: true },
  ];
}

/** The timers that move the machine rather than send a notice. */
export type NoticeKind = Exclude<TimerKind, 'els_period_end' | 'attestation_expiry'>;

/** The event a notice timer sends when it fires (the ELS period end moves the machine instead). */
export const NOTICE_EVENT_OF_TIMER: Readonly<Record<NoticeKind, NotifyEvent>> = {
  readiness: 'reminder.readiness',
  decision_overdue: 'reminder.decision_overdue',
  decision_escalation: 'reminder.decision_escalation',
  els_follow_up: 'els.follow_up',
  action_due: 'reminder.action_due',
};

/**
 * What a notice timer sends, in `status`: the kind and due time, the offset before go-live of a readiness
 * reminder, the roles still awaited for a decision reminder (the escalation goes to the SMO).
 */
export function noticeOf(context: HandoverContext, status: Status, timer: DueTimer): NotifyParams {
  const gate = GATE_AWAITED_IN[status];
  const decision = timer.kind === 'decision_overdue' || timer.kind === 'decision_escalation';
  const action =
    timer.kind === 'action_due' && timer.subject !== null ? findAction(context, timer.subject) : undefined;
  return {
    event: NOTICE_EVENT_OF_TIMER[timer.kind as NoticeKind],
    data: {
      kind: timer.kind,
      dueAt: timer.dueAt,
      status,
      ...(timer.before === null ? {} : { before: timer.before }),
      ...(decision ? { awaitingRoles: gate ? [...(gatePolicy(context, gate)?.roles ?? [])] : [] } : {}),
      ...(timer.kind === 'decision_escalation' ? { escalateTo: 'smo' } : {}),
      // The owner is reminded (notification-audience.ts reads ownerId).
      ...(action ? { action: { key: action.key, title: action.title }, ownerId: action.ownerId } : {}),
    },
  };
}

/** A repeating timer's next occurrence, `repeatEvery` after this one fires. */
export function nextOccurrence(timer: DueTimer): TimerSpec[] {
  return timer.repeatEvery === null
    ? []
    : [
        {
          kind: timer.kind,
          delay: timer.repeatEvery,
          ...(timer.period === null ? {} : { period: timer.period }),
          ...(timer.subject === null ? {} : { subject: timer.subject }),
          repeat: true,
        },
      ];
}

/**
 * The notice that ELS was extended: why, by how long, the incidents still open and the open actions nobody
 * owns; after a period end, which exit criteria did not hold (`unmet`: incidents, action_owners).
 */
export function extendedNotice(
  context: HandoverContext,
  reason: 'exit_criteria_not_met' | 'exit_decision',
): NotifyParams {
  const open = openIncidentCounts(context);
  const criteria = elsExitCriteria(context);
  const unmet = [
    ...(criteria.incidents === null ? [] : ['incidents']),
    ...(criteria.actionOwners === null ? [] : ['action_owners']),
  ];
  return {
    event: 'els.extended',
    data: {
      period: context.elsPeriod,
      extensions: context.elsExtensions,
      extendedBy: roundPolicy(context).elsDuration,
      reason,
      ...(reason === 'exit_criteria_not_met' ? { unmet } : {}),
      openIncidents: { P1: open.P1, P2: open.P2, P3: open.P3, P4: open.P4 },
      actionsWithoutOwner: unownedOpenActions(context).map(({ key }) => key),
    },
  };
}
