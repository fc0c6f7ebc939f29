import {
  approversInRound,
  currentRound,
  decidedFor,
  decisionsInRound,
  followOnActions,
  gatePolicy,
  openIncidents,
  type CriterionState,
  type FollowOnAction,
  type LessonRecord,
  type DecisionRecord,
  type HandoverContext,
  type IncidentRecord,
} from './handover.context.js';
import type { RestoredHandover } from './handover.snapshot.js';
import { specOf } from './criterion.js';
import type { FreezeConflict } from './rules/window.js';
import { elsExitCriteria, GATE_AWAITED_IN, mandatoryCriteriaMet } from './rules/index.js';
import {
  isStatus,
  type CriterionBlocks,
  type CriterionKind,
  type CriterionStatus,
  type Gate,
  type Status,
} from './handover.types.js';
import type { Policy } from './policy.js';

export interface CriterionView {
  key: string;
  title: string;
  practice: string;
  mandatory: boolean;
  kind: CriterionKind;
  status: CriterionStatus;
  probeUrl?: string;
  blocks?: CriterionBlocks;
  evidence?: string;
  note?: string;
  detail?: string;
  waiverReason?: string;
  updatedAt: string | null;
  updatedBy: string | null;
  validFor?: string;
  expiresAt?: string;
  expiredAt?: string;
}

/** One decision at a gate, as API.md lists approvals (with the round it counted in). */
export interface Approval {
  gate: DecisionRecord['gate'];
  round: number;
  principalId: string;
  /** The delegator it was taken for; null: for itself. */
  onBehalfOf: string | null;
  role: string;
  decision: DecisionRecord['decision'];
  comment: string | null;
  at: string;
}

export interface GateView {
  gate: Gate;
  round: number;
  roles: string[];
  quorum: number;
  /** Distinct principals who approved in this round. */
  approvedBy: string[];
  /** Everyone who decided in this round (a delegator when its delegate decided for it): they may not decide again. */
  decidedBy: string[];
}

/** What the API and the console read from a snapshot, without knowing XState. */
export interface HandoverView {
  status: Status;
  round: number;
  submittedBy: string | null;
  submitters: string[];
  policy: Policy | null;
  criteria: CriterionView[];
  mandatoryCriteriaMet: boolean;
  approvals: Approval[];
  /** The gate waiting for decisions, when the status is one where decisions are taken. */
  gate: GateView | null;
  /** Roles that can decide now (for the approvers' inbox and the `awaitingRole` filter). */
  awaitingRoles: string[];
  goLiveWindow: { start: string; end: string } | null;
  /** Change freezes laid over the scheduled window since it was set (until it moves or the go-live is confirmed). */
  conflicts: FreezeConflict[];
  els: {
    period: number;
    extensions: number;
    exitRound: number;
    /**
     * The exit criteria the machine checks at the end of a period, as they stand now (null before the first
     * submission, when no policy governs yet). The period end extends ELS while one is false.
     */
    exitCriteria: { incidentsWithinLimits: boolean; actionsOwned: boolean } | null;
  };
  incidents: IncidentRecord[];
  openIncidents: IncidentRecord[];
  /** While on hold: why, since when, and the status RESUME goes back to. */
  hold: { reason: string; at: string; heldFrom: Status | null } | null;
  /** Follow-on actions, oldest first. */
  actions: FollowOnAction[];
  /** Lessons learned, oldest first. */
  lessons: LessonRecord[];
}

/**
 * What a view is read from. A restored snapshot has it, and so does the persisted JSON of a snapshot, whose
 * history entries keep their state ids: applyCommand describes the state it produced from that JSON, which
 * is what the database gives back, without restoring it.
 */
export interface DescribableState {
  status: Status;
  context: HandoverContext;
  /** The history state's memory: state nodes once restored, `{ id }` objects when persisted. */
  historyValue: unknown;
}

export function describeRestored(restored: RestoredHandover): HandoverView {
  const { status, context, snapshot } = restored;
  return describeState({ status, context, historyValue: snapshot.historyValue });
}

export function describeState(state: DescribableState): HandoverView {
  const { context, status } = state;
  const gate = gateView(state);
  return {
    status,
    round: context.round,
    submittedBy: context.submittedBy,
    submitters: [...context.submitters],
    policy: context.policy,
    criteria: context.criteria.map(criterionView),
    mandatoryCriteriaMet: mandatoryCriteriaMet(context) === null,
    approvals: context.decisions.map((decision) => ({
      ...decision,
      onBehalfOf: decision.onBehalfOf ?? null,
    })),
    gate,
    awaitingRoles: gate === null ? [] : [...gate.roles],
    goLiveWindow: context.window === null ? null : { ...context.window },
    conflicts: status === 'scheduled' ? (context.conflicts ?? []).map((conflict) => ({ ...conflict })) : [],
    els: {
      period: context.elsPeriod,
      extensions: context.elsExtensions,
      exitRound: context.elsRound,
      exitCriteria: exitCriteriaView(context),
    },
    incidents: context.incidents.map((incident) => ({ ...incident })),
    openIncidents: openIncidents(context).map((incident) => ({ ...incident })),
    hold:
      context.hold === null || status !== 'on_hold' ? null : { ...context.hold, heldFrom: heldFrom(state) },
    actions: followOnActions(context).map((action) => ({ ...action })),
    lessons: (context.lessons ?? []).map((lesson) => ({ ...lesson })),
  };
}

function exitCriteriaView(context: HandoverContext): HandoverView['els']['exitCriteria'] {
  if (context.policy === null) return null;
  const { incidents, actionOwners } = elsExitCriteria(context);
  return { incidentsWithinLimits: incidents === null, actionsOwned: actionOwners === null };
}

function gateView({ context, status }: DescribableState): GateView | null {
  // Readiness takes only sending back; the inbox shows deliverables waiting for a decision to accept.
  const gate: Gate | null = GATE_AWAITED_IN[status] ?? null;
  const policy = gate === null ? null : gatePolicy(context, gate);
  if (gate === null || policy === null) return null;
  return {
    gate,
    round: currentRound(context, gate),
    roles: [...policy.roles],
    quorum: policy.quorum,
    approvedBy: approversInRound(context, gate),
    decidedBy: [...new Set(decisionsInRound(context, gate).map(decidedFor))],
  };
}

function criterionView(criterion: CriterionState): CriterionView {
  const view: CriterionView = {
    ...specOf(criterion),
    status: criterion.status,
    updatedAt: criterion.updatedAt,
    updatedBy: criterion.updatedBy,
  };
  // Optional fields are left out rather than null, as API.md writes them (`evidence?`).
  if (criterion.evidence !== null) view.evidence = criterion.evidence;
  if (criterion.note !== null) view.note = criterion.note;
  if (criterion.detail !== null) view.detail = criterion.detail;
  if (criterion.waiverReason !== null) view.waiverReason = criterion.waiverReason;
  if (criterion.expiresAt) view.expiresAt = criterion.expiresAt;
  if (criterion.expiredAt) view.expiredAt = criterion.expiredAt;
  return view;
}

/** The status the history state remembers: where RESUME goes back to. */
function heldFrom({ historyValue }: DescribableState): Status | null {
  const history = historyValue as Readonly<Record<string, readonly { id: string }[] | undefined>>;
  const remembered = history['handover.active.held']?.[0]?.id.split('.').pop();
  return isStatus(remembered) ? remembered : null;
}
