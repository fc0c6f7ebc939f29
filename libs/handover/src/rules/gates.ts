import {
  approversInRound,
  gatePolicy,
  openIncidentCounts,
  roundPolicy,
  type HandoverContext,
} from '../handover.context.js';
import { HandoverErrorCode } from '../handover.errors.js';
import type { Gate } from '../handover.types.js';
import { actionsOwned } from './actions.js';
import type { Refusal } from './refusal.js';

/** A gate passes once `quorum` distinct principals approved in its current round. */
export function quorumReached(context: HandoverContext, gate: Gate): Refusal | null {
  const quorum = gatePolicy(context, gate)?.quorum ?? null;
  const approvals = approversInRound(context, gate).length;
  return quorum !== null && approvals >= quorum
    ? null
    : {
        code: HandoverErrorCode.QuorumNotReached,
        message: `${approvals} of ${quorum ?? '?'} approvals at the ${gate} gate`,
        details: { gate, approvals, quorum },
      };
}

/**
 * The ELS exit criteria the machine checks itself at the end of a period, each with its refusal or null: open
 * incidents within the policy's limits, and every open follow-on action owned. The view shows each.
 */
export function elsExitCriteria(context: HandoverContext): {
  incidents: Refusal | null;
  actionOwners: Refusal | null;
} {
  return { incidents: incidentsWithinLimits(context), actionOwners: actionsOwned(context) };
}

/** Every ELS exit criterion holds: the first that does not, else null. */
export function elsExitCriteriaMet(context: HandoverContext): Refusal | null {
  const { incidents, actionOwners } = elsExitCriteria(context);
  return incidents ?? actionOwners;
}

/** No more open P1 and P2 incidents than the policy allows. */
export function incidentsWithinLimits(context: HandoverContext): Refusal | null {
  const limits = roundPolicy(context).elsExitMaxOpenIncidents;
  const open = openIncidentCounts(context);
  return open.P1 <= limits.P1 && open.P2 <= limits.P2
    ? null
    : {
        code: HandoverErrorCode.ElsExitCriteriaUnmet,
        message: `Open incidents over the ELS exit limits: P1 ${open.P1} of ${limits.P1}, P2 ${open.P2} of ${limits.P2}`,
        details: { open: { P1: open.P1, P2: open.P2 }, limits: { ...limits } },
      };
}
