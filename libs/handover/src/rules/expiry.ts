import { findCriterion, isSettled, type CriterionState, type HandoverContext } from '../handover.context.js';
import { HandoverErrorCode } from '../handover.errors.js';
import type { Status } from '../handover.types.js';
import { parseIsoDuration } from '../iso-duration.js';
import { criterionKnown } from './criteria.js';
import type { Refusal } from './refusal.js';
import type { DueTimer } from './timers.js';
import { staleTimer } from './timers.js';

// Attestations that expire (API.md "Attestations that expire"): a pass of a criterion with `validFor` lapses
// that long after it was given, until the go-live is confirmed; after acceptance such a criterion may be
// attested, waived or probed again without reopening the decision.

/** Accepted, not yet live: the statuses where a lapsed (or lapsing) criterion is renewed in place. */
export const RENEWAL_STATUSES: readonly Status[] = ['approved', 'scheduled'];

/** When a pass given at `at` expires: `validFor` later, or never (null) for a criterion without it. */
export function expiryOf(criterion: Pick<CriterionState, 'validFor'>, at: string): string | null {
  return criterion.validFor === undefined
    ? null
    : new Date(Date.parse(at) + parseIsoDuration(criterion.validFor)).toISOString();
}

/**
 * An attestation_expiry timer counts only for the pass it was started by: the criterion it names is still
 * passed and expires at the timer's time. A pass given again, a waiver or a failed result since made it stale.
 */
export function expiryCurrent(context: HandoverContext, timer: DueTimer): Refusal | null {
  if (timer.kind !== 'attestation_expiry') return null;
  const criterion = timer.subject === null ? undefined : findCriterion(context, timer.subject);
  if (criterion === undefined)
    return staleTimer(timer, `the deliverable has no criterion "${timer.subject}"`);
  return criterion.status === 'passed' && criterion.expiresAt === timer.dueAt
    ? null
    : staleTimer(
        timer,
        `criterion "${criterion.key}" is ${criterion.status}${criterion.expiresAt ? ` until ${criterion.expiresAt}` : ''} since`,
      );
}

/** After acceptance only a criterion that expires (or expired) is attested, waived or probed again. */
export function criterionRenewable(context: HandoverContext, key: string): Refusal | null {
  const criterion = findCriterion(context, key);
  if (criterion === undefined) return criterionKnown(context, key);
  return criterion.validFor !== undefined || criterion.expiredAt
    ? null
    : {
        code: HandoverErrorCode.ActionNotAllowed,
        message: `Criterion "${key}" does not expire: once the deliverable is accepted, only criteria with validFor are attested again`,
        details: { key },
      };
}

/** criterionRenewable where it applies: in the statuses after acceptance and before go-live. */
export function renewalAllowed(context: HandoverContext, status: Status, key: string): Refusal | null {
  return RENEWAL_STATUSES.includes(status) ? criterionRenewable(context, key) : null;
}

/** A probe asked for again: an automated criterion the worker probes (one with a probe URL). */
export function criterionProbeable(context: HandoverContext, key: string): Refusal | null {
  const criterion = findCriterion(context, key);
  if (criterion === undefined) return criterionKnown(context, key);
  if (criterion.kind !== 'automated') {
    return {
      code: HandoverErrorCode.NotAutomated,
      message: `Criterion "${key}" is manual: it is attested, not probed`,
      details: { key },
    };
  }
  return criterion.probeUrl === undefined
    ? {
        code: HandoverErrorCode.NotProbeable,
        message: `Criterion "${key}" has no probe URL: an integration posts its result`,
        details: { key },
      }
    : null;
}

/**
 * The go-live is confirmed only while readiness still holds: every mandatory criterion passed or waived. One
 * that lapsed since the acceptance (or was failed by a probe since) blocks it until it is renewed.
 */
export function readinessHeld(context: HandoverContext): Refusal | null {
  const lapsed = context.criteria.filter((criterion) => criterion.mandatory && !isSettled(criterion));
  if (lapsed.length === 0) return null;
  const expired = lapsed.filter((criterion) => criterion.expiredAt).map(({ key }) => key);
  return {
    code: HandoverErrorCode.CriterionExpired,
    message: `Mandatory criteria no longer met: ${lapsed
      .map(({ key, status, expiredAt }) =>
        expiredAt ? `${key} (expired ${expiredAt})` : `${key} (${status})`,
      )
      .join(', ')}; attest, probe or waive them again before the go-live is confirmed`,
    details: { pending: lapsed.map(({ key }) => key), expired },
  };
}
