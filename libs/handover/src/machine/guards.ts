import type { HandoverEvent, DecisionEvent } from '../handover.events.js';
import type { Gate, TimerKind } from '../handover.types.js';
import {
  conflictNoted,
  actionOpen,
  criterionAutomated,
  dueDateAhead,
  mayCloseAction,
  criterionKnown,
  criterionProbeable,
  criterionRenewable,
  expiryCurrent,
  readinessHeld,
  elsExitCriteriaMet,
  incidentNew,
  incidentOpen,
  mandatoryCriteriaMet,
  mayDecide,
  quorumReached,
  timerCurrent,
  freezeAllows,
  windowValid,
} from '../rules/index.js';
import type { GuardArgs } from './typed.js';

// The machine's guards: each asks a rule of rules/ (the same function refusalOf asks), nothing more.

function isDecisionEvent(event: HandoverEvent): event is DecisionEvent {
  return (
    event.type === 'APPROVE' ||
    event.type === 'REQUEST_CHANGES' ||
    event.type === 'REJECT' ||
    event.type === 'REJECT_FINAL'
  );
}

/** An ELS period end of the current period. */
function elsPeriodEnds({ context, event }: GuardArgs): boolean {
  return (
    event.type === 'TIMER_DUE' &&
    event.timer.kind === 'els_period_end' &&
    timerCurrent(context, event.timer) === null
  );
}

export const guards = {
  // Under review only the target go-live may move (a date slips); the rest waits for draft or rework.
  movesTargetGoLiveOnly: ({ event }: GuardArgs) =>
    event.type === 'EDIT' &&
    event.targetGoLive !== null &&
    event.fields.every((field) => field === 'targetGoLive'),
  readinessComplete: ({ context }: GuardArgs) => mandatoryCriteriaMet(context) === null,
  readinessIncomplete: ({ context }: GuardArgs) => mandatoryCriteriaMet(context) !== null,
  criterionKnown: ({ context, event }: GuardArgs) =>
    (event.type === 'ATTEST' || event.type === 'WAIVE') && criterionKnown(context, event.key) === null,
  automatedCriterionKnown: ({ context, event }: GuardArgs) =>
    event.type === 'RESULT' && criterionAutomated(context, event.key) === null,
  /** After acceptance: a criterion that expires (or expired), attested or waived again. */
  criterionRenewable: ({ context, event }: GuardArgs) =>
    (event.type === 'ATTEST' || event.type === 'WAIVE') && criterionRenewable(context, event.key) === null,
  automatedCriterionRenewable: ({ context, event }: GuardArgs) =>
    event.type === 'RESULT' &&
    criterionAutomated(context, event.key) === null &&
    criterionRenewable(context, event.key) === null,
  criterionProbeable: ({ context, event }: GuardArgs) =>
    event.type === 'PROBE' && criterionProbeable(context, event.key) === null,
  probeRenewable: ({ context, event }: GuardArgs) =>
    event.type === 'PROBE' &&
    criterionProbeable(context, event.key) === null &&
    criterionRenewable(context, event.key) === null,
  /** The pass this attestation_expiry timer was started by is the criterion's current one. */
  attestationExpires: ({ context, event }: GuardArgs) =>
    event.type === 'TIMER_DUE' &&
    event.timer.kind === 'attestation_expiry' &&
    expiryCurrent(context, event.timer) === null,
  /** Every mandatory criterion still passed or waived: nothing lapsed since the acceptance. */
  readinessHeld: ({ context }: GuardArgs) => readinessHeld(context) === null,
  mayDecide: ({ context, event }: GuardArgs, params: { gate: Gate }) =>
    isDecisionEvent(event) && event.gate === params.gate && mayDecide(context, event) === null,
  quorumReached: ({ context }: GuardArgs, params: { gate: Gate }) =>
    quorumReached(context, params.gate) === null,
  /** A window that ends after it starts, outside every change freeze or overriding them. */
  windowAllowed: ({ event }: GuardArgs) =>
    event.type === 'SCHEDULE_GO_LIVE' &&
    windowValid(event.windowStart, event.windowEnd) === null &&
    freezeAllows(event.freeze ?? undefined, event.override ?? undefined, event.principalRoles) === null,
  conflictNoted: ({ context, event }: GuardArgs) =>
    event.type === 'FREEZE_LIFTED' && conflictNoted(context, event.freezeWindowId) === null,
  incidentNew: ({ context, event }: GuardArgs) =>
    event.type === 'RECORD_INCIDENT' && incidentNew(context, event.reference) === null,
  incidentOpen: ({ context, event }: GuardArgs) =>
    event.type === 'RESOLVE_INCIDENT' && incidentOpen(context, event.reference) === null,
  /** A notice timer of one of these kinds, still current: this status takes it. */
  noticeDue: ({ context, event }: GuardArgs, params: { kinds: readonly TimerKind[] }) =>
    event.type === 'TIMER_DUE' &&
    params.kinds.includes(event.timer.kind) &&
    timerCurrent(context, event.timer) === null,
  actionDueAhead: ({ event }: GuardArgs) =>
    event.type === 'CREATE_ACTION' && dueDateAhead(event.dueAt, event.at) === null,
  actionAssignable: ({ context, event }: GuardArgs) =>
    event.type === 'ASSIGN_ACTION' &&
    actionOpen(context, event.key) === null &&
    dueDateAhead(event.dueAt, event.at) === null,
  actionClosable: ({ context, event }: GuardArgs) =>
    event.type === 'CLOSE_ACTION' &&
    actionOpen(context, event.key) === null &&
    mayCloseAction(context, event.key, { principalId: event.principalId, roles: event.principalRoles }) ===
      null,
  elsPeriodEnds,
  /** The current ELS period ended and the ELS exit criteria hold (incidents, action owners). */
  elsPeriodEndsExitMet: (args: GuardArgs) => elsPeriodEnds(args) && elsExitCriteriaMet(args.context) === null,
};
