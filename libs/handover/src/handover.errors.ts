import type { JsonObject } from './json.types.js';

/**
 * Stable codes the domain throws. The API maps them to problem+json in one place; the HTTP status each
 * should answer with is below (API.md: 400 bad input, 403 role or separation-of-duties refusal,
 * 404 names nothing, 409 not allowed now).
 *
 * | code                        | HTTP | why                                                             |
 * | --------------------------- | ---- | --------------------------------------------------------------- |
 * | ACTION_NOT_ALLOWED          | 409  | not possible in the current status; details: status, allowedActions |
 * | ROLE_REQUIRED               | 403  | the actor lacks the role the action needs                       |
 * | SEPARATION_OF_DUTIES        | 403  | a submitter tried to decide on its own deliverable              |
 * | ROLE_NOT_IN_POLICY          | 403  | the role named is not one the gate's policy lets decide         |
 * | ROLE_NOT_HELD               | 403  | the actor does not hold the role it decides with                |
 * | ALREADY_DECIDED             | 409  | one decision per principal per gate round                       |
 * | DELEGATION_NOT_ACTIVE       | 403  | a decision on behalf of someone with no delegation in force to the actor |
 * | INVALID_DELEGATION          | 400  | a delegation to oneself, of a role not held, too long, ending before it starts |
 * | DELEGATION_CYCLE            | 409  | a delegation that would close a cycle of delegations of one role |
 * | UNKNOWN_CRITERION           | 404  | the criterion key names nothing on this deliverable             |
 * | NOT_AUTOMATED               | 400  | a result was posted for a manual criterion                      |
 * | STALE_RESULT                | 409  | a probe result for an earlier round (the worker drops it)       |
 * | UNKNOWN_INCIDENT            | 404  | the incident reference names nothing on this deliverable        |
 * | DUPLICATE_INCIDENT          | 409  | the incident reference is already recorded                      |
 * | INCIDENT_ALREADY_RESOLVED   | 409  | the incident was resolved before                                |
 * | UNKNOWN_ACTION              | 404  | the follow-on action key names nothing on this deliverable      |
 * | ACTION_ALREADY_CLOSED       | 409  | the follow-on action was closed before                          |
 * | DUE_DATE_PAST               | 400  | a follow-on action due at or before the time it is set          |
 * | INVALID_WINDOW              | 400  | a go-live window whose end is not after its start               |
 * | FREEZE_WINDOW               | 409  | a go-live window in a change freeze, without an override; details: conflicts |
 * | CRITERION_EXPIRED           | 409  | go-live confirmed while a mandatory criterion lapsed (expired, or failed) since acceptance |
 * | NOT_PROBEABLE               | 409  | a probe asked for a criterion without a probe URL (an integration posts its result) |
 * | INVALID_DURATION            | 400  | text that is not an ISO 8601 duration                           |
 * | INVALID_POLICY              | 400  | a policy that cannot govern a round (bad quorum, roles, durations) |
 * | INVALID_CHECKLIST           | 400  | criteria with bad or duplicate keys                             |
 * | INVALID_COMMAND             | 400  | a command missing fields or with values out of range            |
 * | STALE_TIMER                 | 409  | a timer the deliverable's state no longer takes (the worker drops it) |
 * | TIMER_WAITS                 | 409  | a timer due while the deliverable is on hold (it fires on resume) |
 * | READINESS_INCOMPLETE        | 409  | a mandatory criterion is neither passed nor waived (a condition, not a command's refusal) |
 * | QUORUM_NOT_REACHED          | 409  | fewer approvals than the gate's quorum (a condition)            |
 * | ELS_EXIT_CRITERIA_UNMET     | 409  | more open P1/P2 incidents than the policy allows, or an open follow-on action without an owner (a condition) |
 * | SNAPSHOT_VERSION_UNKNOWN    | 500  | stored data from a machine version this code cannot read: a fault to alert on, not bad input |
 * | SNAPSHOT_INVALID            | 500  | stored data that does not restore: a fault to alert on, not bad input |
 */
export enum HandoverErrorCode {
  ActionNotAllowed = 'HANDOVER.ACTION_NOT_ALLOWED',
  RoleRequired = 'HANDOVER.ROLE_REQUIRED',
  SeparationOfDuties = 'HANDOVER.SEPARATION_OF_DUTIES',
  RoleNotInPolicy = 'HANDOVER.ROLE_NOT_IN_POLICY',
  RoleNotHeld = 'HANDOVER.ROLE_NOT_HELD',
  AlreadyDecided = 'HANDOVER.ALREADY_DECIDED',
  DelegationNotActive = 'HANDOVER.DELEGATION_NOT_ACTIVE',
  InvalidDelegation = 'HANDOVER.INVALID_DELEGATION',
  DelegationCycle = 'HANDOVER.DELEGATION_CYCLE',
  UnknownCriterion = 'HANDOVER.UNKNOWN_CRITERION',
  NotAutomated = 'HANDOVER.NOT_AUTOMATED',
  StaleResult = 'HANDOVER.STALE_RESULT',
  UnknownIncident = 'HANDOVER.UNKNOWN_INCIDENT',
  DuplicateIncident = 'HANDOVER.DUPLICATE_INCIDENT',
  IncidentAlreadyResolved = 'HANDOVER.INCIDENT_ALREADY_RESOLVED',
  UnknownAction = 'HANDOVER.UNKNOWN_ACTION',
  ActionAlreadyClosed = 'HANDOVER.ACTION_ALREADY_CLOSED',
  DueDatePast = 'HANDOVER.DUE_DATE_PAST',
  InvalidWindow = 'HANDOVER.INVALID_WINDOW',
  FreezeWindow = 'HANDOVER.FREEZE_WINDOW',
  CriterionExpired = 'HANDOVER.CRITERION_EXPIRED',
  NotProbeable = 'HANDOVER.NOT_PROBEABLE',
  InvalidDuration = 'HANDOVER.INVALID_DURATION',
  InvalidPolicy = 'HANDOVER.INVALID_POLICY',
  InvalidChecklist = 'HANDOVER.INVALID_CHECKLIST',
  InvalidCommand = 'HANDOVER.INVALID_COMMAND',
  StaleTimer = 'HANDOVER.STALE_TIMER',
  TimerWaits = 'HANDOVER.TIMER_WAITS',
  ReadinessIncomplete = 'HANDOVER.READINESS_INCOMPLETE',
  QuorumNotReached = 'HANDOVER.QUORUM_NOT_REACHED',
  ElsExitCriteriaUnmet = 'HANDOVER.ELS_EXIT_CRITERIA_UNMET',
  SnapshotVersionUnknown = 'HANDOVER.SNAPSHOT_VERSION_UNKNOWN',
  SnapshotInvalid = 'HANDOVER.SNAPSHOT_INVALID',
}

export const HANDOVER_ERROR_CODES: readonly HandoverErrorCode[] = Object.values(HandoverErrorCode);

/** A refusal with a stable code and JSON details the API can pass on (for ACTION_NOT_ALLOWED: `status` and `allowedActions`). */
export class HandoverError extends Error {
  override readonly name = 'HandoverError';

  constructor(
    readonly code: HandoverErrorCode,
    message: string,
    readonly details: JsonObject = {},
  ) {
    super(message);
  }
}

export function isHandoverError(error: unknown, code?: HandoverErrorCode): error is HandoverError {
  return error instanceof HandoverError && (code === undefined || error.code === code);
}
