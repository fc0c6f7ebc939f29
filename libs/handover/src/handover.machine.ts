import { assertEvent, assign, setup } from 'xstate';
import type { CriterionSpec } from './criterion.js';
import {
  elsExitIncidentsWithinLimits,
  findCriterion,
  findIncident,
  hasDecided,
  initialContext,
  isSubmitter,
  mandatoryCriteriaMet,
  openIncidentCounts,
  quorumReached,
  roleInPolicy,
  roundPolicy,
  type CriterionState,
  type HandoverContext,
} from './handover.context.js';
import type {
  CancelTimersParams,
  DecisionEvent,
  HandoverEvent,
  NotifyParams,
  ProbeParams,
  ScheduleTimersParams,
  TimerSpec,
} from './handover.events.js';
import { TIMER_KINDS, type Gate, type TimerKind } from './handover.types.js';
import { formatIsoDuration, parseIsoDuration } from './iso-duration.js';
import { gatePolicyOf, type Policy } from './policy.js';

/** Bump when a stored snapshot of the previous version would no longer restore or mean the same. */
export const MACHINE_VERSION = 1;

export interface HandoverInput {
  criteria: CriterionSpec[];
}

const DECISION_TIMERS: TimerKind[] = ['decision_overdue', 'decision_escalation'];
/** Leaving readiness/acceptance for approved or rework: readiness reminders stop with the decision timers. */
const GATE_TIMERS: TimerKind[] = ['readiness', ...DECISION_TIMERS];

function readinessReminders(policy: Policy, anchor: string | null, at: string): TimerSpec[] {
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

function decisionTimers(context: HandoverContext, gate: Gate): TimerSpec[] {
  const { decisionSla } = gatePolicyOf(roundPolicy(context), gate);
  // The policy names one SLA; escalation follows when it has passed twice over.
  return [
    { kind: 'decision_overdue', delay: decisionSla },
    { kind: 'decision_escalation', delay: formatIsoDuration(2 * parseIsoDuration(decisionSla)) },
  ];
}

function elsTimers(context: HandoverContext): TimerSpec[] {
  const policy = roundPolicy(context);
  return [
    { kind: 'els_period_end', delay: policy.elsDuration, period: context.elsPeriod },
    { kind: 'els_follow_up', delay: policy.elsFollowUpEvery, period: context.elsPeriod, repeat: true },
  ];
}

function updateCriterion(
  context: HandoverContext,
  key: string,
  change: (criterion: CriterionState) => CriterionState,
): CriterionState[] {
  return context.criteria.map((criterion) => (criterion.key === key ? change(criterion) : criterion));
}

function mayDecide(context: HandoverContext, event: HandoverEvent, gate: Gate): boolean {
  if (!isDecisionEvent(event) || event.gate !== gate) return false;
  return (
    !isSubmitter(context, event.principalId) &&
    roleInPolicy(context, gate, event.role) &&
    !hasDecided(context, gate, event.principalId)
  );
}

function isDecisionEvent(event: HandoverEvent): event is DecisionEvent {
  return (
    event.type === 'APPROVE' ||
    event.type === 'REQUEST_CHANGES' ||
    event.type === 'REJECT' ||
    event.type === 'REJECT_FINAL'
  );
}

const DECISION_OF = {
  APPROVE: 'approve',
  REQUEST_CHANGES: 'request_changes',
  REJECT: 'reject',
  REJECT_FINAL: 'reject_final',
} as const;

// Effect actions (probe, scheduleTimers, cancelTimers, notify) have no implementation on purpose: the
// machine only declares them. The pure transition() returns them with resolved params and the command
// path writes them to the outbox in the same transaction as the snapshot.
export const handoverMachine = setup({
  types: {
    context: {} as HandoverContext,
    events: {} as HandoverEvent,
    input: {} as HandoverInput,
  },
  actions: {
    probe: (_, _params: ProbeParams) => {},
    scheduleTimers: (_, _params: ScheduleTimersParams) => {},
    cancelTimers: (_, _params: CancelTimersParams) => {},
    notify: (_, _params: NotifyParams) => {},
    // Edited fields live in the application's columns; the machine only says when editing is allowed
    // (an action, so that `can()` counts the otherwise empty transition).
    acceptEdit: () => {},

    startRound: assign(({ context, event }) => {
      assertEvent(event, ['SUBMIT', 'RESUBMIT']);
      const { principalId } = event;
      return {
        round: context.round + 1,
        policy: event.policy,
        submittedBy: context.submittedBy ?? principalId,
        submitters:
          principalId === null || context.submitters.includes(principalId)
            ? context.submitters
            : [...context.submitters, principalId],
        // Automated evidence belongs to one round: it is probed or posted again. A waiver is a decision
        // the SMO took on purpose, so it stands.
        criteria: context.criteria.map((criterion): CriterionState =>
          criterion.kind === 'automated' && criterion.status !== 'waived'
            ? {
                ...criterion,
                status: 'pending',
                evidence: null,
                detail: null,
                updatedAt: event.at,
                updatedBy: null,
              }
            : criterion,
        ),
      };
    }),
    recordAttestation: assign(({ context, event }) => {
      assertEvent(event, 'ATTEST');
      return {
        criteria: updateCriterion(context, event.key, (criterion) => ({
          ...criterion,
          status: 'passed',
          evidence: event.evidence,
          note: event.note,
          waiverReason: null,
          updatedAt: event.at,
          updatedBy: event.principalId,
        })),
      };
    }),
    recordWaiver: assign(({ context, event }) => {
      assertEvent(event, 'WAIVE');
      return {
        criteria: updateCriterion(context, event.key, (criterion) => ({
          ...criterion,
          status: 'waived',
          waiverReason: event.reason,
          updatedAt: event.at,
          updatedBy: event.principalId,
        })),
      };
    }),
    recordResult: assign(({ context, event }) => {
      assertEvent(event, 'RESULT');
      return {
        criteria: updateCriterion(context, event.key, (criterion) => ({
          ...criterion,
          status: event.passed ? 'passed' : 'failed',
          detail: event.detail,
          waiverReason: null,
          updatedAt: event.at,
          updatedBy: event.principalId,
        })),
      };
    }),
    recordDecision: assign(({ context, event }) => {
      assertEvent(event, ['APPROVE', 'REQUEST_CHANGES', 'REJECT', 'REJECT_FINAL']);
      return {
        decisions: [
          ...context.decisions,
          {
            gate: event.gate,
            round: event.gate === 'acceptance' ? context.round : context.elsRound,
            principalId: event.principalId,
            role: event.role,
            decision: DECISION_OF[event.type],
            comment: event.comment,
            at: event.at,
          },
        ],
      };
    }),
    setWindow: assign(({ event }) => {
      assertEvent(event, 'SCHEDULE_GO_LIVE');
      return { window: { start: event.windowStart, end: event.windowEnd } };
    }),
    startEls: assign(({ context }) => ({ elsPeriod: context.elsPeriod + 1, elsExtensions: 0 })),
    extendEls: assign(({ context }) => ({
      elsPeriod: context.elsPeriod + 1,
      elsExtensions: context.elsExtensions + 1,
    })),
    openElsExitRound: assign(({ context }) => ({ elsRound: context.elsRound + 1 })),
    recordIncident: assign(({ context, event }) => {
      assertEvent(event, 'RECORD_INCIDENT');
      return {
        incidents: [
          ...context.incidents,
          {
            reference: event.reference,
            priority: event.priority,
            summary: event.summary,
            openedAt: event.at,
            resolvedAt: null,
          },
        ],
      };
    }),
    resolveIncident: assign(({ context, event }) => {
      assertEvent(event, 'RESOLVE_INCIDENT');
      return {
        incidents: context.incidents.map((incident) =>
          incident.reference === event.reference ? { ...incident, resolvedAt: event.at } : incident,
        ),
      };
    }),
    recordHold: assign(({ event }) => {
      assertEvent(event, 'HOLD');
      return { hold: { reason: event.reason, at: event.at } };
    }),
    clearHold: assign({ hold: null }),
  },
  guards: {
    // Under review only the target go-live may move (a date slips); the rest waits for draft or rework.
    movesTargetGoLiveOnly: ({ event }) =>
      event.type === 'EDIT' &&
      event.targetGoLive !== null &&
      event.fields.every((field) => field === 'targetGoLive'),
    mandatoryCriteriaMet: ({ context }) => mandatoryCriteriaMet(context),
    mandatoryCriteriaUnmet: ({ context }) => !mandatoryCriteriaMet(context),
    criterionKnown: ({ context, event }) =>
      (event.type === 'ATTEST' || event.type === 'WAIVE') && findCriterion(context, event.key) !== undefined,
    automatedCriterionKnown: ({ context, event }) =>
      event.type === 'RESULT' && findCriterion(context, event.key)?.kind === 'automated',
    mayDecideAtAcceptance: ({ context, event }) => mayDecide(context, event, 'acceptance'),
    mayDecideAtElsExit: ({ context, event }) => mayDecide(context, event, 'els_exit'),
    acceptanceQuorumReached: ({ context }) => quorumReached(context, 'acceptance'),
    elsExitQuorumReached: ({ context }) => quorumReached(context, 'els_exit'),
    windowValid: ({ event }) =>
      event.type === 'SCHEDULE_GO_LIVE' && Date.parse(event.windowEnd) > Date.parse(event.windowStart),
    incidentNew: ({ context, event }) =>
      event.type === 'RECORD_INCIDENT' && findIncident(context, event.reference) === undefined,
    incidentOpen: ({ context, event }) =>
      event.type === 'RESOLVE_INCIDENT' && findIncident(context, event.reference)?.resolvedAt === null,
    elsPeriodCurrent: ({ context, event }) =>
      event.type === 'ELS_PERIOD_ELAPSED' && event.period === context.elsPeriod,
    /** The period that just ended is the current one and the open P1/P2 incidents are within the policy. */
    elsExitCriteriaMet: ({ context, event }) =>
      event.type === 'ELS_PERIOD_ELAPSED' &&
      event.period === context.elsPeriod &&
      elsExitIncidentsWithinLimits(context),
  },
}).createMachine({
  id: 'handover',
  context: ({ input }) => initialContext(input.criteria),
  initial: 'active',
  states: {
    // Every non-final status but on_hold lives in `active`, so HOLD and CANCEL are declared once and the
    // history state remembers where RESUME goes back to.
    active: {
      initial: 'draft',
      on: {
        HOLD: { target: 'on_hold', actions: 'recordHold' },
        CANCEL: {
          target: 'cancelled',
          actions: { type: 'cancelTimers', params: { kinds: [...TIMER_KINDS] } },
        },
      },
      states: {
        draft: {
          on: {
            EDIT: { actions: 'acceptEdit' },
            ATTEST: { guard: 'criterionKnown', actions: 'recordAttestation' },
            SUBMIT: {
              target: 'readiness',
              actions: [
                'startRound',
                {
                  type: 'probe',
                  params: ({ context }) => ({ round: context.round, criteria: probeTargets(context) }),
                },
                { type: 'cancelTimers', params: { kinds: ['readiness'] } },
                {
                  type: 'scheduleTimers',
                  params: ({ context, event }) => {
                    assertEvent(event, 'SUBMIT');
                    return { timers: readinessReminders(roundPolicy(context), event.targetGoLive, event.at) };
                  },
                },
              ],
            },
          },
        },
        readiness: {
          // Also taken right after a submission that leaves nothing mandatory pending.
          always: {
            guard: 'mandatoryCriteriaMet',
            target: 'acceptance',
            actions: [
              { type: 'cancelTimers', params: { kinds: DECISION_TIMERS } },
              {
                type: 'scheduleTimers',
                params: ({ context }) => ({ timers: decisionTimers(context, 'acceptance') }),
              },
            ],
          },
          on: {
            EDIT: {
              guard: 'movesTargetGoLiveOnly',
              actions: [
                { type: 'cancelTimers', params: { kinds: ['readiness'] } },
                {
                  type: 'scheduleTimers',
                  params: ({ context, event }) => {
                    assertEvent(event, 'EDIT');
                    return { timers: readinessReminders(roundPolicy(context), event.targetGoLive, event.at) };
                  },
                },
              ],
            },
            ATTEST: { guard: 'criterionKnown', actions: 'recordAttestation' },
            WAIVE: { guard: 'criterionKnown', actions: 'recordWaiver' },
            RESULT: { guard: 'automatedCriterionKnown', actions: 'recordResult' },
            // Approvers may send a deliverable back before its criteria are all met, not accept it.
            REQUEST_CHANGES: {
              guard: 'mayDecideAtAcceptance',
              target: 'rework',
              actions: ['recordDecision', { type: 'cancelTimers', params: { kinds: GATE_TIMERS } }],
            },
            REJECT: {
              guard: 'mayDecideAtAcceptance',
              target: 'rework',
              actions: ['recordDecision', { type: 'cancelTimers', params: { kinds: GATE_TIMERS } }],
            },
          },
        },
        acceptance: {
          always: [
            {
              guard: 'acceptanceQuorumReached',
              target: 'approved',
              actions: { type: 'cancelTimers', params: { kinds: GATE_TIMERS } },
            },
            {
              guard: 'mandatoryCriteriaUnmet',
              target: 'readiness',
              actions: { type: 'cancelTimers', params: { kinds: DECISION_TIMERS } },
            },
          ],
          on: {
            EDIT: {
              guard: 'movesTargetGoLiveOnly',
              actions: [
                { type: 'cancelTimers', params: { kinds: ['readiness'] } },
                {
                  type: 'scheduleTimers',
                  params: ({ context, event }) => {
                    assertEvent(event, 'EDIT');
                    return { timers: readinessReminders(roundPolicy(context), event.targetGoLive, event.at) };
                  },
                },
              ],
            },
            ATTEST: { guard: 'criterionKnown', actions: 'recordAttestation' },
            WAIVE: { guard: 'criterionKnown', actions: 'recordWaiver' },
            RESULT: { guard: 'automatedCriterionKnown', actions: 'recordResult' },
            APPROVE: { guard: 'mayDecideAtAcceptance', actions: 'recordDecision' },
            REQUEST_CHANGES: {
              guard: 'mayDecideAtAcceptance',
              target: 'rework',
              actions: ['recordDecision', { type: 'cancelTimers', params: { kinds: GATE_TIMERS } }],
            },
            REJECT: {
              guard: 'mayDecideAtAcceptance',
              target: 'rework',
              actions: ['recordDecision', { type: 'cancelTimers', params: { kinds: GATE_TIMERS } }],
            },
            REJECT_FINAL: {
              guard: 'mayDecideAtAcceptance',
              target: '#handover.rejected',
              actions: ['recordDecision', { type: 'cancelTimers', params: { kinds: [...TIMER_KINDS] } }],
            },
          },
        },
        rework: {
          on: {
            EDIT: { actions: 'acceptEdit' },
            ATTEST: { guard: 'criterionKnown', actions: 'recordAttestation' },
            WAIVE: { guard: 'criterionKnown', actions: 'recordWaiver' },
            RESULT: { guard: 'automatedCriterionKnown', actions: 'recordResult' },
            RESUBMIT: {
              target: 'readiness',
              actions: [
                'startRound',
                {
                  type: 'probe',
                  params: ({ context }) => ({ round: context.round, criteria: probeTargets(context) }),
                },
                { type: 'cancelTimers', params: { kinds: ['readiness'] } },
                {
                  type: 'scheduleTimers',
                  params: ({ context, event }) => {
                    assertEvent(event, 'RESUBMIT');
                    return { timers: readinessReminders(roundPolicy(context), event.targetGoLive, event.at) };
                  },
                },
              ],
            },
          },
        },
        approved: {
          on: {
            SCHEDULE_GO_LIVE: { guard: 'windowValid', target: 'scheduled', actions: scheduleWindowActions() },
          },
        },
        scheduled: {
          on: {
            // Moving the window is allowed while scheduled; the reminders move with it.
            SCHEDULE_GO_LIVE: { guard: 'windowValid', actions: scheduleWindowActions() },
            CONFIRM_GO_LIVE: {
              target: 'early_life_support',
              actions: [
                'startEls',
                { type: 'cancelTimers', params: { kinds: ['readiness'] } },
                { type: 'scheduleTimers', params: ({ context }) => ({ timers: elsTimers(context) }) },
              ],
            },
            ROLLBACK: {
              target: 'rework',
              actions: { type: 'cancelTimers', params: { kinds: [...TIMER_KINDS] } },
            },
          },
        },
        early_life_support: {
          on: {
            RECORD_INCIDENT: { guard: 'incidentNew', actions: 'recordIncident' },
            RESOLVE_INCIDENT: { guard: 'incidentOpen', actions: 'resolveIncident' },
            ELS_PERIOD_ELAPSED: [
              {
                guard: 'elsExitCriteriaMet',
                target: 'els_review',
                actions: [
                  'openElsExitRound',
                  { type: 'cancelTimers', params: { kinds: ['els_follow_up', ...DECISION_TIMERS] } },
                  {
                    type: 'scheduleTimers',
                    params: ({ context }) => ({ timers: decisionTimers(context, 'els_exit') }),
                  },
                ],
              },
              {
                guard: 'elsPeriodCurrent',
                actions: [
                  'extendEls',
                  {
                    type: 'scheduleTimers',
                    params: ({ context }) => ({ timers: elsTimers(context).slice(0, 1) }),
                  },
                  {
                    type: 'notify',
                    params: ({ context }) => extendedNotice(context, 'exit_criteria_not_met'),
                  },
                ],
              },
            ],
            ROLLBACK: {
              target: 'rework',
              actions: { type: 'cancelTimers', params: { kinds: [...TIMER_KINDS] } },
            },
          },
        },
        els_review: {
          always: {
            guard: 'elsExitQuorumReached',
            target: '#handover.operational',
            actions: { type: 'cancelTimers', params: { kinds: [...TIMER_KINDS] } },
          },
          on: {
            RECORD_INCIDENT: { guard: 'incidentNew', actions: 'recordIncident' },
            RESOLVE_INCIDENT: { guard: 'incidentOpen', actions: 'resolveIncident' },
            APPROVE: { guard: 'mayDecideAtElsExit', actions: 'recordDecision' },
            REQUEST_CHANGES: {
              guard: 'mayDecideAtElsExit',
              target: 'early_life_support',
              actions: extendByDecision(),
            },
            REJECT: {
              guard: 'mayDecideAtElsExit',
              target: 'early_life_support',
              actions: extendByDecision(),
            },
          },
        },
        held: { type: 'history' },
      },
    },
    on_hold: {
      // Timers are not touched: the application pauses them while on hold and fires what came due on resume.
      on: {
        RESUME: { target: 'active.held', actions: 'clearHold' },
        CANCEL: {
          target: 'cancelled',
          actions: { type: 'cancelTimers', params: { kinds: [...TIMER_KINDS] } },
        },
      },
    },
    operational: { type: 'final' },
    cancelled: { type: 'final' },
    rejected: { type: 'final' },
  },
});

function probeTargets(context: HandoverContext): ProbeParams['criteria'] {
  return context.criteria.flatMap((criterion) =>
    criterion.kind === 'automated' && criterion.status === 'pending' && criterion.probeUrl !== undefined
      ? [{ key: criterion.key, url: criterion.probeUrl }]
      : [],
  );
}

function extendedNotice(
  context: HandoverContext,
  reason: 'exit_criteria_not_met' | 'exit_decision',
): NotifyParams {
  const open = openIncidentCounts(context);
  return {
    event: 'els.extended',
    data: {
      period: context.elsPeriod,
      extensions: context.elsExtensions,
      extendedBy: roundPolicy(context).elsDuration,
      reason,
      openIncidents: { P1: open.P1, P2: open.P2, P3: open.P3, P4: open.P4 },
    },
  };
}

function scheduleWindowActions() {
  return [
    'setWindow',
    { type: 'cancelTimers', params: { kinds: ['readiness'] } },
    {
      type: 'scheduleTimers',
      params: ({ context, event }: { context: HandoverContext; event: HandoverEvent }) => {
        assertEvent(event, 'SCHEDULE_GO_LIVE');
        return { timers: readinessReminders(roundPolicy(context), event.windowStart, event.at) };
      },
    },
  ] as const;
}

function extendByDecision() {
  return [
    'recordDecision',
    'extendEls',
    { type: 'cancelTimers', params: { kinds: ['els_follow_up', ...DECISION_TIMERS] } },
    {
      type: 'scheduleTimers',
      params: ({ context }: { context: HandoverContext }) => ({ timers: elsTimers(context) }),
    },
    {
      type: 'notify',
      params: ({ context }: { context: HandoverContext }) => extendedNotice(context, 'exit_decision'),
    },
  ] as const;
}

export type HandoverMachine = typeof handoverMachine;
