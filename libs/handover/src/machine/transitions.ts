import { assertEvent } from 'xstate';
import {
  findAction,
  findCriterion,
  followOnActions,
  roundPolicy,
  type HandoverContext,
} from '../handover.context.js';
import type { HandoverEvent, NotifyParams, ProbeParams, TimerSpec } from '../handover.events.js';
import type { Gate, Status, TimerKind } from '../handover.types.js';
import {
  actionDueTimer,
  ALL_TIMERS,
  DECISION_TIMERS,
  decisionTimers,
  elsPeriodEnd,
  elsTimers,
  extendedNotice,
  GATE_TIMERS,
  HANDOVER_TIMERS,
  nextOccurrence,
  noticeOf,
  readinessReminders,
} from './timers.js';

// Transitions that several states share, named, so each state reads as the list of what it takes.

type Args = { context: HandoverContext; event: HandoverEvent };

export const cancelTimers = (kinds: readonly TimerKind[]) =>
  ({ type: 'cancelTimers', params: { kinds } }) as const;

export const scheduleTimers = (timers: (args: Args) => TimerSpec[]) =>
  ({ type: 'scheduleTimers', params: (args: Args) => ({ timers: timers(args) }) }) as const;

/** Probes for the automated criteria still pending, in the round just opened. */
const probePending = {
  type: 'probe',
  params: ({ context, event }: Args): ProbeParams => ({
    round: context.round,
    requestedAt: event.at,
    criteria: context.criteria.flatMap((criterion) =>
      criterion.kind === 'automated' && criterion.status === 'pending' && criterion.probeUrl !== undefined
        ? [{ key: criterion.key, url: criterion.probeUrl }]
        : [],
    ),
  }),
} as const;

/** Readiness reminders counted back from the target go-live the event carries. */
const remindBeforeTargetGoLive = scheduleTimers(({ context, event }) => {
  assertEvent(event, ['SUBMIT', 'RESUBMIT', 'EDIT']);
  return readinessReminders(roundPolicy(context), event.targetGoLive, event.at);
});

/** SUBMIT and RESUBMIT: a new round under the tier's policy, its probes, and its readiness reminders. */
export const submission = {
  target: 'readiness',
  actions: ['startRound', probePending, cancelTimers(['readiness']), remindBeforeTargetGoLive],
} as const;

/** A pass of a criterion with `validFor` starts the timer that expires it (one per pass: see expiryCurrent). */
const expireLater = scheduleTimers(({ context, event }): TimerSpec[] => {
  assertEvent(event, ['ATTEST', 'RESULT']);
  if (event.type === 'RESULT' && !event.passed) return [];
  const criterion = findCriterion(context, event.key);
  return criterion?.validFor === undefined
    ? []
    : [{ kind: 'attestation_expiry', delay: criterion.validFor, subject: criterion.key }];
});

/** ATTEST, WAIVE and RESULT: readiness evidence, wherever the criteria may still change. */
export const criteriaEvents = {
  ATTEST: { guard: 'criterionKnown', actions: ['recordAttestation', expireLater] },
  WAIVE: { guard: 'criterionKnown', actions: 'recordWaiver' },
  RESULT: { guard: 'automatedCriterionKnown', actions: ['recordResult', expireLater] },
} as const;

/** Probe one automated criterion again, in the current round (its result counts like the first one's). */
const probeOne = {
  type: 'probe',
  params: ({ context, event }: Args): ProbeParams => {
    assertEvent(event, 'PROBE');
    const criterion = findCriterion(context, event.key);
    return {
      round: context.round,
      requestedAt: event.at,
      criteria: criterion?.probeUrl === undefined ? [] : [{ key: criterion.key, url: criterion.probeUrl }],
    };
  },
} as const;

/** Under review: any automated criterion with a probe URL may be probed again. */
export const probeAgain = { PROBE: { guard: 'criterionProbeable', actions: probeOne } } as const;

/**
 * Accepted, not yet live: a criterion that expires (or expired) is attested, waived, given a result or probed
 * again in place. The status and the round's approvals stay; confirming the go-live waits for it.
 */
export const renewCriteria = {
  ATTEST: { guard: 'criterionRenewable', actions: ['recordAttestation', expireLater] },
  WAIVE: { guard: 'criterionRenewable', actions: 'recordWaiver' },
  RESULT: { guard: 'automatedCriterionRenewable', actions: ['recordResult', expireLater] },
  PROBE: { guard: 'probeRenewable', actions: probeOne },
} as const;

/** An attestation_expiry timer of the current pass: the criterion is pending again (criterion.expired). */
export const attestationExpires = {
  guard: 'attestationExpires',
  actions: [
    'expireAttestation',
    {
      type: 'notify',
      params: ({ context, event }: Args): NotifyParams => {
        assertEvent(event, 'TIMER_DUE');
        const criterion = findCriterion(context, event.timer.subject ?? '');
        return {
          event: 'criterion.expired',
          data: {
            key: event.timer.subject,
            title: criterion?.title ?? null,
            mandatory: criterion?.mandatory ?? null,
            validFor: criterion?.validFor ?? null,
            expiredAt: event.at,
          },
        };
      },
    },
  ],
} as const;

/** Under review only the target go-live may move; its reminders move with it. */
export const moveTargetGoLive = {
  EDIT: {
    guard: 'movesTargetGoLiveOnly',
    actions: [cancelTimers(['readiness']), remindBeforeTargetGoLive],
  },
} as const;

/** Enough approvals at `gate`. */
export const quorumAt = (gate: Gate) => ({ type: 'quorumReached', params: { gate } }) as const;

/** The approvers' decision at `gate`. */
export const mayDecideAt = (gate: Gate) => ({ type: 'mayDecide', params: { gate } }) as const;

/** REQUEST_CHANGES and REJECT at the acceptance gate: back to the project for rework. */
export const sendBackToRework = {
  REQUEST_CHANGES: {
    guard: mayDecideAt('acceptance'),
    target: 'rework',
    actions: ['recordDecision', cancelTimers(GATE_TIMERS)],
  },
  REJECT: {
    guard: mayDecideAt('acceptance'),
    target: 'rework',
    actions: ['recordDecision', cancelTimers(GATE_TIMERS)],
  },
} as const;

/** REQUEST_CHANGES and REJECT at the ELS exit gate: the service is live, so ELS goes on another period. */
const extendByDecision = {
  guard: mayDecideAt('els_exit'),
  target: 'early_life_support',
  actions: [
    'recordDecision',
    'extendEls',
    cancelTimers(['els_follow_up', ...DECISION_TIMERS]),
    scheduleTimers(({ context }) => elsTimers(context)),
    { type: 'notify', params: ({ context }: Args) => extendedNotice(context, 'exit_decision') },
  ],
} as const;
export const sendBackToEls = { REQUEST_CHANGES: extendByDecision, REJECT: extendByDecision } as const;

/** The go-live window is set (or moved); the readiness reminders count back from its start. */
export const scheduleWindow = {
  guard: 'windowAllowed',
  actions: [
    'setWindow',
    cancelTimers(['readiness']),
    scheduleTimers(({ context, event }) => {
      assertEvent(event, 'SCHEDULE_GO_LIVE');
      return readinessReminders(roundPolicy(context), event.windowStart, event.at);
    }),
  ],
} as const;

/**
 * A change freeze laid over the scheduled window: noted on the deliverable (until the window moves or the
 * go-live is confirmed) and announced as schedule.conflict. The go-live stays scheduled: people decide.
 */
export const freezeLaidOver = {
  actions: [
    'noteConflicts',
    {
      type: 'notify',
      params: ({ context, event }: Args): NotifyParams => {
        assertEvent(event, 'FREEZE_CONFLICT');
        return {
          event: 'schedule.conflict',
          data: {
            windowStart: context.window?.start ?? null,
            windowEnd: context.window?.end ?? null,
            conflicts: event.conflicts.map((conflict) => ({ ...conflict })),
          },
        };
      },
    },
  ],
} as const;

/** Into a gate's decision round: its SLA reminder and escalation start. */
export const openDecisionRound = (gate: Gate) =>
  [cancelTimers(DECISION_TIMERS), scheduleTimers(({ context }) => decisionTimers(context, gate))] as const;

/**
 * TIMER_DUE for the notice timers `status` takes: the notice goes out, and a repeating timer is scheduled
 * again. Any other timer finds no transition here: it is stale, and the command path drops it.
 */
export const notices = (status: Status, kinds: readonly TimerKind[]) =>
  ({
    guard: { type: 'noticeDue', params: { kinds } },
    actions: [
      {
        type: 'notify',
        params: ({ context, event }: Args) => {
          assertEvent(event, 'TIMER_DUE');
          return noticeOf(context, status, event.timer);
        },
      },
      scheduleTimers(({ event }) => {
        assertEvent(event, 'TIMER_DUE');
        return nextOccurrence(event.timer);
      }),
    ],
  }) as const;

/** The end of an ELS period: to els_review when the exit criteria hold, else ELS goes on another period. */
export const elsPeriodEnds = [
  {
    guard: 'elsPeriodEndsExitMet',
    target: 'els_review',
    actions: [
      'openElsExitRound',
      cancelTimers(['els_follow_up', ...DECISION_TIMERS]),
      scheduleTimers(({ context }) => decisionTimers(context, 'els_exit')),
    ],
  },
  {
    guard: 'elsPeriodEnds',
    actions: [
      'extendEls',
      scheduleTimers(({ context }) => elsPeriodEnd(context)),
      { type: 'notify', params: ({ context }: Args) => extendedNotice(context, 'exit_criteria_not_met') },
    ],
  },
] as const;

/** Leaving for good (cancel, a final rejection): every timer stops. */
export const stopAllTimers = cancelTimers(ALL_TIMERS);

/**
 * Rolled back to rework: every timer stops but the attestations' expiry, which still applies there (after a
 * rollback from early life support there is none left: the go-live ended them).
 */
export const stopTimersForRework = cancelTimers(ALL_TIMERS.filter((kind) => kind !== 'attestation_expiry'));
/** The handover ends with the service live: its own timers stop, the reminders of follow-on actions go on. */
export const stopHandoverTimers = cancelTimers(HANDOVER_TIMERS);

/** An action's notice for webhooks and the event stream: what it is and who owns it. */
const actionNotice = (event: 'action.created' | 'action.closed', pick: (args: Args) => string | undefined) =>
  ({
    type: 'notify',
    params: (args: Args): NotifyParams => {
      const action = findAction(args.context, pick(args) ?? '');
      return {
        event,
        data: action
          ? {
              key: action.key,
              title: action.title,
              ownerId: action.ownerId,
              dueAt: action.dueAt,
              status: action.status,
              ...(event === 'action.closed' ? { note: action.note } : {}),
            }
          : {},
      };
    },
  }) as const;

/**
 * Follow-on actions, from a scheduled go-live until after the service is live: created (with the reminder of
 * its due date), assigned (a due date given moves the reminder; a new owner alone does not), closed (its
 * reminder, if still to come, goes stale).
 */
export const followOnActionEvents = {
  CREATE_ACTION: {
    guard: 'actionDueAhead',
    actions: [
      'recordAction',
      scheduleTimers(({ context, event }) => actionDueTimer(followOnActions(context).at(-1), event.at)),
      actionNotice('action.created', ({ context }) => followOnActions(context).at(-1)?.key),
    ],
  },
  ASSIGN_ACTION: {
    guard: 'actionAssignable',
    actions: [
      'assignAction',
      scheduleTimers(({ context, event }) => {
        assertEvent(event, 'ASSIGN_ACTION');
        return event.dueAt === null ? [] : actionDueTimer(findAction(context, event.key), event.at);
      }),
    ],
  },
  CLOSE_ACTION: {
    guard: 'actionClosable',
    actions: [
      'closeAction',
      actionNotice('action.closed', ({ event }) => (event.type === 'CLOSE_ACTION' ? event.key : undefined)),
    ],
  },
} as const;

/** Lessons learned, once the service is live and under review, and after. */
export const lessonEvents = { RECORD_LESSON: { actions: 'recordLesson' } } as const;
