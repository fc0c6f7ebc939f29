import { type Principal } from '@baton/access';
import { type z } from 'zod';
import { presentDeliverable } from '../deliverables/deliverable.presenter.js';
import { actorOf, type ReadDeliverable } from '../deliverables/deliverables.service.js';
import { type DecidingFor } from './inbox.service.js';
import { type inboxDecisionResponse, type InboxItemResponse } from './inbox.responses.js';

/**
 * An inbox entry as `by` sees it, or null when the deliverable, as read now, no longer waits for `by` (it
 * was read whole a moment after the inbox query: another decision may have moved it on).
 */
export function presentInboxItem(
  { row, handover }: ReadDeliverable,
  slaDueAt: Date | null,
  by: Principal,
  decidingFor: DecidingFor,
  now: Date,
): InboxItemResponse | null {
  const view = handover.describe();
  const gate = view.gate;
  // Whom the decision counts for: they must not have decided, and neither they nor the caller submitted.
  const counted = decidingFor?.principalId ?? by.id;
  if (gate === null || gate.decidedBy.includes(counted) || view.submitters.includes(by.id)) return null;
  if (view.submitters.includes(counted)) return null;
  const roles = (decidingFor?.roles ?? by.roles).filter((role) => gate.roles.includes(role));
  if (roles.length === 0) return null;
  const decisions = view.approvals.filter(
    (approval) => approval.gate === gate.gate && approval.round === gate.round,
  );
  return {
    deliverable: presentDeliverable(row, handover, actorOf(by)),
    onBehalfOf: decidingFor?.principalId ?? null,
    onBehalfOfName: decidingFor?.name ?? null,
    gate: gate.gate,
    round: gate.round,
    roles,
    awaitingRoles: gate.roles,
    quorum: gate.quorum,
    approvals: gate.approvedBy.length,
    approvalsNeeded: Math.max(0, gate.quorum - gate.approvedBy.length),
    decisions: decisions.map(
      ({ principalId, onBehalfOf, role, decision, comment, at }): z.input<typeof inboxDecisionResponse> => ({
        principalId,
        onBehalfOf,
        role,
        decision,
        comment,
        at,
      }),
    ),
    slaDueAt: slaDueAt?.toISOString() ?? null,
    overdue: slaDueAt !== null && slaDueAt.getTime() <= now.getTime(),
  };
}
