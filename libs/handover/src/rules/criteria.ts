import { findCriterion, isSettled, type HandoverContext } from '../handover.context.js';
import { HandoverErrorCode } from '../handover.errors.js';
import type { Refusal } from './refusal.js';

export function criterionKnown(context: HandoverContext, key: string): Refusal | null {
  return findCriterion(context, key) === undefined
    ? {
        code: HandoverErrorCode.UnknownCriterion,
        message: `The deliverable has no readiness criterion "${key}"`,
        details: { key },
      }
    : null;
}

/** Results are posted for automated criteria only (a manual one is attested). */
export function criterionAutomated(context: HandoverContext, key: string): Refusal | null {
  return (
    criterionKnown(context, key) ??
    (findCriterion(context, key)?.kind === 'automated'
      ? null
      : {
          code: HandoverErrorCode.NotAutomated,
          message: `Criterion "${key}" is manual: it is attested, not given a result`,
          details: { key },
        })
  );
}

/** A probe's result counts only in the round it was probed for. */
export function resultCurrent(
  context: HandoverContext,
  key: string,
  round: number | undefined,
): Refusal | null {
  return round === undefined || round === context.round
    ? null
    : {
        code: HandoverErrorCode.StaleResult,
        message: `The result is for round ${round}; the deliverable is in round ${context.round}`,
        details: { key, round, currentRound: context.round },
      };
}

/** Readiness is complete when every mandatory criterion is passed or waived. */
export function mandatoryCriteriaMet(context: HandoverContext): Refusal | null {
  const pending = context.criteria.filter((criterion) => criterion.mandatory && !isSettled(criterion));
  return pending.length === 0
    ? null
    : {
        code: HandoverErrorCode.ReadinessIncomplete,
        message: `Mandatory criteria not yet passed or waived: ${pending.map(({ key }) => key).join(', ')}`,
        details: { pending: pending.map(({ key }) => key) },
      };
}
