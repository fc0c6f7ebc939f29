import { type CriterionSpec, specOf } from './criterion.js';
import type { CriterionStatus, Decision, FollowOnActionStatus, Gate, Priority } from './handover.types.js';
import { gatePolicyOf, type GatePolicy, type Policy } from './policy.js';
import type { FreezeConflict } from './rules/window.js';

// The machine's context. It is stored as JSON in the database, so everything in it is JSON-plain:
// ISO strings for times, arrays instead of Maps and Sets, null rather than undefined.

export interface CriterionState extends CriterionSpec {
  status: CriterionStatus;
  evidence: string | null;
  note: string | null;
  /** What an automated result said (a probe's answer, a CI run's summary). */
  detail: string | null;
  waiverReason: string | null;
  updatedAt: string | null;
  /** Null for the system (the worker's probes). */
  updatedBy: string | null;
  /**
   * When the current pass expires (a criterion with `validFor`, passed, before go-live); null otherwise.
   * Absent in snapshots from before expiring attestations: none.
   */
  expiresAt?: string | null;
  /** When the last pass expired, until the criterion is passed or waived again. */
  expiredAt?: string | null;
}

export interface DecisionRecord {
  gate: Gate;
  round: number;
  /** Who acted. */
  principalId: string;
  /** The delegator it acted for (absent in decisions from before delegation, and null when for itself). */
  onBehalfOf?: string | null;
  role: string;
  decision: Decision;
  comment: string | null;
  at: string;
}

/**
 * Whom a decision counts for (quorum, one decision per round): the delegator when it is taken on its behalf,
 * else who takes it. Asked of recorded decisions and of decisions asked for alike.
 */
export function decidedFor(decision: Pick<DecisionRecord, 'principalId' | 'onBehalfOf'>): string {
  return decision.onBehalfOf ?? decision.principalId;
}

export interface IncidentRecord {
  reference: string;
  priority: Priority;
  summary: string;
  openedAt: string;
  resolvedAt: string | null;
}

/** A follow-on action handed over with the service (a known defect, a task for business as usual). */
export interface FollowOnAction {
  /** `A-1`, `A-2`...: numbered in the order they were created, never reused. */
  key: string;
  title: string;
  /** The principal who carries it into business as usual; null until one is named. */
  ownerId: string | null;
  dueAt: string | null;
  status: FollowOnActionStatus;
  createdAt: string;
  createdBy: string | null;
  closedAt: string | null;
  closedBy: string | null;
  /** What the closer said about it. */
  note: string | null;
}

/** A lesson learned (the lessons report, the continual improvement register). */
export interface LessonRecord {
  text: string;
  recordedBy: string | null;
  at: string;
}

export interface HandoverContext {
  criteria: CriterionState[];
  /** Acceptance round: 0 until the first submission, then one more at each submit and resubmit. */
  round: number;
  /** The policy the current round was submitted under; it governs both gates until the next round. */
  policy: Policy | null;
  submittedBy: string | null;
  /** Everyone who ever submitted or resubmitted: none of them may decide on this deliverable. */
  submitters: string[];
  /** Every decision at every gate and round, oldest first. */
  decisions: DecisionRecord[];
  /** els_exit round: one more each time the deliverable enters els_review. */
  elsRound: number;
  /**
   * ELS period counter. It never goes back (a rollback and a second go-live continue from it), so a timer
   * carrying an old period is recognisably stale.
   */
  elsPeriod: number;
  /** Extensions within the current early life support. */
  elsExtensions: number;
  window: { start: string; end: string } | null;
  /**
   * Change freezes laid over the scheduled window after it was set, until it is moved or the go-live
   * confirmed (absent in snapshots from before freezes: none).
   */
  conflicts?: FreezeConflict[];
  incidents: IncidentRecord[];
  hold: { reason: string; at: string } | null;
  /** Follow-on actions, oldest first (absent in snapshots from before them: none). */
  actions?: FollowOnAction[];
  /** Lessons learned, oldest first (absent in snapshots from before them: none). */
  lessons?: LessonRecord[];
}

export function initialContext(criteria: readonly CriterionSpec[]): HandoverContext {
  return {
    criteria: criteria.map(toCriterionState),
    round: 0,
    policy: null,
    submittedBy: null,
    submitters: [],
    decisions: [],
    elsRound: 0,
    elsPeriod: 0,
    elsExtensions: 0,
    window: null,
    incidents: [],
    hold: null,
  };
}

function toCriterionState(spec: CriterionSpec): CriterionState {
  return {
    ...specOf(spec),
    status: 'pending',
    evidence: null,
    note: null,
    detail: null,
    waiverReason: null,
    updatedAt: null,
    updatedBy: null,
  };
}

export function isSettled(criterion: CriterionState): boolean {
  return criterion.status === 'passed' || criterion.status === 'waived';
}

export function findCriterion(context: HandoverContext, key: string): CriterionState | undefined {
  return context.criteria.find((criterion) => criterion.key === key);
}

export function findIncident(context: HandoverContext, reference: string): IncidentRecord | undefined {
  return context.incidents.find((incident) => incident.reference === reference);
}

export function followOnActions(context: HandoverContext): FollowOnAction[] {
  return context.actions ?? [];
}

export function findAction(context: HandoverContext, key: string): FollowOnAction | undefined {
  return followOnActions(context).find((action) => action.key === key);
}

/** The key the next action gets: one more than the actions there are (none is ever removed). */
export function nextActionKey(context: HandoverContext): string {
  return `A-${followOnActions(context).length + 1}`;
}

/** Open actions nobody owns yet: an ELS exit criterion (policy elsExitRequiresActionOwners). */
export function unownedOpenActions(context: HandoverContext): FollowOnAction[] {
  return followOnActions(context).filter((action) => action.status === 'open' && action.ownerId === null);
}

export function roundPolicy(context: HandoverContext): Policy {
  if (context.policy === null) {
    // Only reachable through a bug: every state after draft was entered by a submission carrying a policy.
    throw new Error('The handover has no round policy: it was never submitted');
  }
  return context.policy;
}

export function gatePolicy(context: HandoverContext, gate: Gate): GatePolicy | null {
  return context.policy === null ? null : gatePolicyOf(context.policy, gate);
}

/** The member of the context that counts a gate's rounds (the approvers' inbox reads it from the stored context). */
export const ROUND_OF_GATE: Readonly<Record<Gate, 'round' | 'elsRound'>> = {
  acceptance: 'round',
  els_exit: 'elsRound',
};

export function currentRound(context: HandoverContext, gate: Gate): number {
  return context[ROUND_OF_GATE[gate]];
}

export function decisionsInRound(context: HandoverContext, gate: Gate): DecisionRecord[] {
  const round = currentRound(context, gate);
  return context.decisions.filter((decision) => decision.gate === gate && decision.round === round);
}

/** Distinct principals who approved in the gate's current round: a delegate's approval counts for its delegator. */
export function approversInRound(context: HandoverContext, gate: Gate): string[] {
  const approvers = decisionsInRound(context, gate)
    .filter((decision) => decision.decision === 'approve')
    .map(decidedFor);
  return [...new Set(approvers)];
}

/** Whether `principalId` decided in the gate's round, itself or through a delegate. */
export function hasDecided(context: HandoverContext, gate: Gate, principalId: string): boolean {
  return decisionsInRound(context, gate).some((decision) => decidedFor(decision) === principalId);
}

export function isSubmitter(context: HandoverContext, principalId: string): boolean {
  return context.submitters.includes(principalId);
}

export function roleInPolicy(context: HandoverContext, gate: Gate, role: string): boolean {
  return gatePolicy(context, gate)?.roles.includes(role) ?? false;
}

export function openIncidents(context: HandoverContext): IncidentRecord[] {
  return context.incidents.filter((incident) => incident.resolvedAt === null);
}

export function openIncidentCounts(context: HandoverContext): Record<Priority, number> {
  const counts: Record<Priority, number> = { P1: 0, P2: 0, P3: 0, P4: 0 };
  for (const incident of openIncidents(context)) counts[incident.priority] += 1;
  return counts;
}
