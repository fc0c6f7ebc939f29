import { assertEvent } from 'xstate';
import {
  followOnActions,
  nextActionKey,
  type CriterionState,
  type FollowOnAction,
  type HandoverContext,
} from '../handover.context.js';
import type {
  CancelTimersParams,
  NotifyParams,
  ProbeParams,
  ScheduleTimersParams,
} from '../handover.events.js';
import { expiryOf, type FreezeConflict } from '../rules/index.js';
import { typed } from './typed.js';

const DECISION_OF = {
  APPROVE: 'approve',
  REQUEST_CHANGES: 'request_changes',
  REJECT: 'reject',
  REJECT_FINAL: 'reject_final',
} as const;

function updateAction(
  context: HandoverContext,
  key: string,
  change: (action: FollowOnAction) => FollowOnAction,
): FollowOnAction[] {
  return followOnActions(context).map((action) => (action.key === key ? change(action) : action));
}

function updateCriterion(
  context: HandoverContext,
  key: string,
  change: (criterion: CriterionState) => CriterionState,
): CriterionState[] {
  return context.criteria.map((criterion) => (criterion.key === key ? change(criterion) : criterion));
}

/**
 * The machine's actions. The effects (probe, scheduleTimers, cancelTimers, notify) have no implementation on
 * purpose: the machine only declares them; the pure transition returns them with resolved params, and the
 * command path writes them to the outbox in the same statement as the snapshot.
 */
export const actions = {
  probe: (_: unknown, _params: ProbeParams) => {},
  scheduleTimers: (_: unknown, _params: ScheduleTimersParams) => {},
  cancelTimers: (_: unknown, _params: CancelTimersParams) => {},
  notify: (_: unknown, _params: NotifyParams) => {},
  // Edited fields live in the application's columns; the machine only says when editing is allowed (an
  // action, so that `can()` counts the otherwise empty transition).
  acceptEdit: () => {},

  startRound: typed.assign(({ context, event }) => {
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
      // Automated evidence belongs to one round: it is probed or posted again. A waiver is a decision the
      // SMO took on purpose, so it stands.
      criteria: context.criteria.map((criterion): CriterionState =>
        criterion.kind === 'automated' && criterion.status !== 'waived'
          ? {
              ...criterion,
              status: 'pending',
              evidence: null,
              detail: null,
              updatedAt: event.at,
              updatedBy: null,
              expiresAt: null,
            }
          : criterion,
      ),
    };
  }),
  recordAttestation: typed.assign(({ context, event }) => {
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
        expiresAt: expiryOf(criterion, event.at),
        expiredAt: null,
      })),
    };
  }),
  recordWaiver: typed.assign(({ context, event }) => {
    assertEvent(event, 'WAIVE');
    return {
      criteria: updateCriterion(context, event.key, (criterion) => ({
        ...criterion,
        status: 'waived',
        waiverReason: event.reason,
        updatedAt: event.at,
        updatedBy: event.principalId,
        // A waiver is the SMO's decision that the criterion need not be met: it does not expire.
        expiresAt: null,
        expiredAt: null,
      })),
    };
  }),
  recordResult: typed.assign(({ context, event }) => {
    assertEvent(event, 'RESULT');
    return {
      criteria: updateCriterion(context, event.key, (criterion) => ({
        ...criterion,
        status: event.passed ? 'passed' : 'failed',
        detail: event.detail,
        waiverReason: null,
        updatedAt: event.at,
        updatedBy: event.principalId,
        expiresAt: event.passed ? expiryOf(criterion, event.at) : null,
        expiredAt: event.passed ? null : (criterion.expiredAt ?? null),
      })),
    };
  }),
  recordDecision: typed.assign(({ context, event }) => {
    assertEvent(event, ['APPROVE', 'REQUEST_CHANGES', 'REJECT', 'REJECT_FINAL']);
    return {
      decisions: [
        ...context.decisions,
        {
          gate: event.gate,
          round: event.gate === 'acceptance' ? context.round : context.elsRound,
          principalId: event.principalId,
          onBehalfOf: event.onBehalfOf ?? null,
          role: event.role,
          decision: DECISION_OF[event.type],
          comment: event.comment,
          at: event.at,
        },
      ],
    };
  }),
  // A window set or moved was judged against every freeze there is: earlier conflicts no longer stand.
  setWindow: typed.assign(({ event }) => {
    assertEvent(event, 'SCHEDULE_GO_LIVE');
    return { window: { start: event.windowStart, end: event.windowEnd }, conflicts: [] };
  }),
  /** Occurrences of a freeze laid over the window, added to those already noted (each once). */
  noteConflicts: typed.assign(({ context, event }) => {
    assertEvent(event, 'FREEZE_CONFLICT');
    const key = (c: FreezeConflict) => `${c.freezeWindowId}@${c.start}`;
    const known = new Set((context.conflicts ?? []).map(key));
    return {
      conflicts: [
        ...(context.conflicts ?? []),
        ...event.conflicts.filter((c) => !known.has(key(c))).map((c) => ({ ...c })),
      ],
    };
  }),
  /** The pass of the criterion the expiry timer names lapsed: pending again, with when it expired. */
  expireAttestation: typed.assign(({ context, event }) => {
    assertEvent(event, 'TIMER_DUE');
    return {
      criteria: updateCriterion(context, event.timer.subject ?? '', (criterion) => ({
        ...criterion,
        status: 'pending',
        updatedAt: event.at,
        updatedBy: null,
        expiresAt: null,
        expiredAt: event.at,
      })),
    };
  }),
  // Live: nothing expires any more (the expiry timers are cancelled with this).
  /** The conflicts a lifted freeze had noted, taken back (others stay). */
  dropConflicts: typed.assign(({ context, event }) => {
    assertEvent(event, 'FREEZE_LIFTED');
    return {
      conflicts: (context.conflicts ?? []).filter(
        (conflict) => conflict.freezeWindowId !== event.freezeWindowId,
      ),
    };
  }),
  startEls: typed.assign(({ context }) => ({
    elsPeriod: context.elsPeriod + 1,
    elsExtensions: 0,
    conflicts: [],
    criteria: context.criteria.map((criterion) =>
      criterion.expiresAt ? { ...criterion, expiresAt: null } : criterion,
    ),
  })),
  extendEls: typed.assign(({ context }) => ({
    elsPeriod: context.elsPeriod + 1,
    elsExtensions: context.elsExtensions + 1,
  })),
  openElsExitRound: typed.assign(({ context }) => ({ elsRound: context.elsRound + 1 })),
  recordIncident: typed.assign(({ context, event }) => {
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
  resolveIncident: typed.assign(({ context, event }) => {
    assertEvent(event, 'RESOLVE_INCIDENT');
    return {
      incidents: context.incidents.map((incident) =>
        incident.reference === event.reference ? { ...incident, resolvedAt: event.at } : incident,
      ),
    };
  }),
  recordAction: typed.assign(({ context, event }) => {
    assertEvent(event, 'CREATE_ACTION');
    return {
      actions: [
        ...followOnActions(context),
        {
          key: nextActionKey(context),
          title: event.title,
          ownerId: event.ownerId,
          dueAt: event.dueAt,
          status: 'open',
          createdAt: event.at,
          createdBy: event.principalId,
          closedAt: null,
          closedBy: null,
          note: null,
        },
      ],
    };
  }),
  assignAction: typed.assign(({ context, event }) => {
    assertEvent(event, 'ASSIGN_ACTION');
    return {
      actions: updateAction(context, event.key, (action) => ({
        ...action,
        ownerId: event.ownerId,
        dueAt: event.dueAt ?? action.dueAt,
      })),
    };
  }),
  closeAction: typed.assign(({ context, event }) => {
    assertEvent(event, 'CLOSE_ACTION');
    return {
      actions: updateAction(context, event.key, (action) => ({
        ...action,
        status: 'closed',
        closedAt: event.at,
        closedBy: event.principalId,
        note: event.note,
      })),
    };
  }),
  recordLesson: typed.assign(({ context, event }) => {
    assertEvent(event, 'RECORD_LESSON');
    return {
      lessons: [
        ...(context.lessons ?? []),
        { text: event.text, recordedBy: event.principalId, at: event.at },
      ],
    };
  }),
  recordHold: typed.assign(({ event }) => {
    assertEvent(event, 'HOLD');
    return { hold: { reason: event.reason, at: event.at } };
  }),
  clearHold: typed.assign({ hold: null }),
};
