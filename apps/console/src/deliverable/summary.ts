// What a deliverable's card or row says about it, computed from what the API served (never a rule of the
// handover re-derived in the browser: who may act comes from `allowedActions` and `awaitingRoles`).
import type { Criterion, Deliverable, InboxItem } from '../api/types';
import { humanize } from '../lib/lens';

export interface ReadinessCount {
  done: number;
  total: number;
  passed: number;
  waived: number;
  failed: number;
  pending: number;
}

export function readinessCount(criteria: readonly Pick<Criterion, 'status'>[]): ReadinessCount {
  const count = { passed: 0, waived: 0, failed: 0, pending: 0 };
  for (const { status } of criteria) count[status] += 1;
  return { ...count, done: count.passed + count.waived, total: criteria.length };
}

/** The roles still to be heard from: those that may decide and have not approved in this round (all of them when each has). */
function pendingRoles(roles: readonly string[], approvedWith: readonly string[]): string[] {
  const pending = roles.filter((role) => !approvedWith.includes(role));
  return pending.length > 0 ? pending : [...roles];
}

/** "1 of 2 approvals: change manager pending" */
export function waitingFor(
  deliverable: Pick<Deliverable, 'gate' | 'awaitingRoles'> & { approvals?: Deliverable['approvals'] },
): string | null {
  const gate = deliverable.gate;
  if (!gate) return null;
  const roles = deliverable.awaitingRoles.length > 0 ? deliverable.awaitingRoles : gate.roles;
  const approvedWith = (deliverable.approvals ?? [])
    .filter(
      (approval) =>
        approval.gate === gate.gate && approval.round === gate.round && approval.decision === 'approve',
    )
    .map((approval) => approval.role);
  const who = pendingRoles(roles, approvedWith)
    .map((role) => humanize(role).toLowerCase())
    .join(' or ');
  return `${gate.approvedBy.length} of ${gate.quorum} approval${gate.quorum === 1 ? '' : 's'}${who ? `: ${who} pending` : ''}`;
}

/** Overdue: the target go-live passed before the handover reached live service. */
export function isOverdue(
  deliverable: Pick<Deliverable, 'targetGoLive' | 'status'>,
  now = Date.now(),
): boolean {
  const live = ['early_life_support', 'els_review', 'operational', 'cancelled', 'rejected'];
  return !live.includes(deliverable.status) && new Date(deliverable.targetGoLive).getTime() < now;
}

/** Blocked: a failed criterion, on hold, or sent back for rework. */
export function isBlocked(deliverable: Pick<Deliverable, 'status' | 'readiness'>): boolean {
  return (
    deliverable.status === 'on_hold' ||
    deliverable.status === 'rework' ||
    deliverable.readiness.criteria.some((criterion) => criterion.status === 'failed')
  );
}

/** Overdue first, then blocked, then by nearest target go-live. */
export function byUrgency(a: Deliverable, b: Deliverable, now = Date.now()): number {
  const rank = (d: Deliverable) => (isOverdue(d, now) ? 0 : isBlocked(d) ? 1 : 2);
  return rank(a) - rank(b) || Date.parse(a.targetGoLive) - Date.parse(b.targetGoLive);
}

/** The inbox's "1 of 2 approvals: change manager pending", from the counts the inbox serves. */
export function waitingText(
  item: Pick<InboxItem, 'approvals' | 'quorum' | 'awaitingRoles'> & { decisions?: InboxItem['decisions'] },
): string {
  const approvedWith = (item.decisions ?? []).filter((d) => d.decision === 'approve').map((d) => d.role);
  const who = pendingRoles(item.awaitingRoles, approvedWith)
    .map((role) => humanize(role).toLowerCase())
    .join(' or ');
  return `${item.approvals} of ${item.quorum} approval${item.quorum === 1 ? '' : 's'}${who ? `: ${who} pending` : ''}`;
}
