// Refusals in plain words: what the problem document (RFC 9457) of a refused request means for the person
// who clicked, from its stable `code`, with the server's own `detail` kept.
import type { Problem } from '../api/types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem?.detail ?? `The server answered ${status}`);
    this.name = 'ApiError';
  }

  get code(): string | undefined {
    return this.problem?.code;
  }

  /** Someone else changed the record since it was read: reload and try again. */
  get changedMeanwhile(): boolean {
    return (
      this.status === 412 ||
      this.code === 'DELIVERABLE.VERSION_MISMATCH' ||
      this.code === 'DELIVERABLE.WRITE_CONFLICT'
    );
  }

  /** Field errors by path ("windowEnd", "criteria.0.key"). */
  get fieldErrors(): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const { path, message } of this.problem?.errors ?? []) errors[path] ??= message;
    return errors;
  }
}

const PLAIN: Record<string, string> = {
  'HANDOVER.SEPARATION_OF_DUTIES':
    'You submitted this deliverable, so you cannot decide on it: separation of duties keeps the submitter out of its approval.',
  'HANDOVER.ALREADY_DECIDED':
    'You (or someone deciding on your behalf) have already decided in this round: each person decides once per round.',
  'HANDOVER.QUORUM_NOT_REACHED': 'Not enough approvals yet: the gate needs more distinct approvers.',
  'HANDOVER.ROLE_NOT_HELD': 'You do not hold the role you decided with.',
  'HANDOVER.ROLE_NOT_IN_POLICY': "That role does not decide at this gate under the service tier's policy.",
  'HANDOVER.ROLE_REQUIRED': 'Your roles do not allow this action.',
  'HANDOVER.READINESS_INCOMPLETE': 'Some mandatory readiness criteria are neither passed nor waived yet.',
  'HANDOVER.ELS_EXIT_CRITERIA_UNMET':
    'The early life support exit criteria do not hold: too many open incidents.',
  'HANDOVER.INVALID_WINDOW': 'The go-live window is not valid: it must end after it starts.',
  'HANDOVER.FREEZE_WINDOW':
    'This go-live window falls in a change freeze. Choose another window, or override the freeze with a reason if your role allows it.',
  'HANDOVER.CRITERION_EXPIRED':
    'A mandatory readiness criterion expired (or failed) since the acceptance: attest, probe or waive it again, then confirm the go-live.',
  'HANDOVER.NOT_PROBEABLE': 'This criterion has no probe URL: an integration posts its result.',
  'HANDOVER.DUPLICATE_INCIDENT': 'An incident with this reference is already recorded.',
  'HANDOVER.INCIDENT_ALREADY_RESOLVED': 'This incident is already resolved.',
  'HANDOVER.UNKNOWN_CRITERION': 'This readiness criterion does not exist on the deliverable.',
  'HANDOVER.NOT_AUTOMATED': 'Only automated criteria take a result; attest a manual one instead.',
  'DELIVERABLE.VERSION_MISMATCH': 'Someone else changed this deliverable since you opened it.',
  'DELIVERABLE.WRITE_CONFLICT': 'Someone else changed this deliverable at the same moment.',
  'AUTH.UNAUTHENTICATED': 'Your token is not accepted (unknown, revoked or expired). Sign in again.',
  'AUTH.FORBIDDEN': 'Your roles do not allow this.',
  'PROJECT.KEY_TAKEN': 'Another project already has this key.',
  'PRINCIPAL.PROTECTED': 'The bootstrap admin cannot be revoked.',
  'PRINCIPAL.REVOKED': 'This principal is revoked.',
  'REQUEST.RATE_LIMITED': 'Too many requests at once: wait a few seconds and try again.',
  'DEPENDENCY.UNAVAILABLE': 'Baton cannot reach its database or queues right now: try again shortly.',
  'SERVICE.STOPPING': 'This Baton server is restarting: try again in a moment.',
  'IDEMPOTENCY.KEY_REUSED': 'This request was already sent with different content.',
};

/** The sentence a person reads for a refusal: plain words first, the server's detail after. */
export function explain(error: unknown): { summary: string; detail?: string } {
  if (!(error instanceof ApiError)) {
    const message = error instanceof Error ? error.message : String(error);
    return { summary: 'Baton could not be reached.', detail: message };
  }
  const { problem, status } = error;
  const code = problem?.code;
  const detail = problem?.detail;
  if (code === 'HANDOVER.ACTION_NOT_ALLOWED') {
    const state = problem?.state ? ` It is now “${problem.state.replace(/_/g, ' ')}”.` : '';
    return {
      summary: `This is no longer possible in the deliverable's current state: someone may have acted meanwhile (a decision, or the quorum was reached).${state}`,
      detail,
    };
  }
  if (code && PLAIN[code]) return { summary: PLAIN[code], detail };
  if (status === 412) return { summary: PLAIN['DELIVERABLE.VERSION_MISMATCH'], detail };
  if (status === 409)
    return { summary: 'Not possible now: the record changed or is in another state.', detail };
  if (status === 403) return { summary: 'Your roles do not allow this.', detail };
  if (status === 404) return { summary: 'Not found: it may have been removed.', detail };
  if (status === 400) return { summary: 'Some fields need attention.', detail };
  if (status === 401) return { summary: PLAIN['AUTH.UNAUTHENTICATED'], detail };
  return { summary: problem?.title ?? `The server answered ${status}.`, detail };
}

/** The field errors of a refusal, by path; none for anything else. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  return error instanceof ApiError ? error.fieldErrors : {};
}

export interface FreezeConflict {
  name: string;
  start: string;
  end: string;
}

/**
 * The freezes a refused go-live window meets (409 HANDOVER.FREEZE_WINDOW carries `conflicts`). The OpenAPI
 * document does not declare this member of the problem, so it is read field by field, checked.
 */
export function freezeConflictsOf(error: unknown): FreezeConflict[] | null {
  if (!(error instanceof ApiError) || error.code !== 'HANDOVER.FREEZE_WINDOW') return null;
  const conflicts: unknown = (error.problem as Record<string, unknown> | null)?.conflicts;
  if (!Array.isArray(conflicts)) return [];
  return conflicts.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const { name, start, end } = item as Record<string, unknown>;
    return typeof name === 'string' && typeof start === 'string' && typeof end === 'string'
      ? [{ name, start, end }]
      : [];
  });
}
