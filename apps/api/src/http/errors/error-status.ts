import { AppErrorCode } from '@baton/errors';
import { HandoverErrorCode } from '@baton/handover';

/** The one table from error codes to HTTP statuses. Exhaustive: a new code fails the type-check until mapped. */
export function handoverErrorStatus(code: HandoverErrorCode): number {
  switch (code) {
    case HandoverErrorCode.InvalidWindow:
    case HandoverErrorCode.InvalidDuration:
    case HandoverErrorCode.InvalidPolicy:
    case HandoverErrorCode.InvalidChecklist:
    case HandoverErrorCode.InvalidCommand:
    case HandoverErrorCode.NotAutomated:
    case HandoverErrorCode.InvalidDelegation:
    case HandoverErrorCode.DueDatePast:
      return 400;
    case HandoverErrorCode.RoleRequired:
    case HandoverErrorCode.SeparationOfDuties:
    case HandoverErrorCode.RoleNotInPolicy:
    case HandoverErrorCode.RoleNotHeld:
    case HandoverErrorCode.DelegationNotActive:
      return 403;
    case HandoverErrorCode.UnknownCriterion:
    case HandoverErrorCode.UnknownIncident:
    case HandoverErrorCode.UnknownAction:
      return 404;
    case HandoverErrorCode.ActionNotAllowed:
    case HandoverErrorCode.AlreadyDecided:
    case HandoverErrorCode.StaleResult:
    case HandoverErrorCode.DuplicateIncident:
    case HandoverErrorCode.IncidentAlreadyResolved:
    case HandoverErrorCode.ActionAlreadyClosed:
    case HandoverErrorCode.StaleTimer:
    case HandoverErrorCode.TimerWaits:
    case HandoverErrorCode.ReadinessIncomplete:
    case HandoverErrorCode.QuorumNotReached:
    case HandoverErrorCode.ElsExitCriteriaUnmet:
    case HandoverErrorCode.FreezeWindow:
    case HandoverErrorCode.CriterionExpired:
    case HandoverErrorCode.NotProbeable:
    case HandoverErrorCode.DelegationCycle:
      return 409;
    // Stored data this code cannot read: a fault to alert on, not the caller's doing.
    case HandoverErrorCode.SnapshotVersionUnknown:
    case HandoverErrorCode.SnapshotInvalid:
      return 500;
    default:
      return assertUnreachable(code);
  }
}

export function appErrorStatus(code: AppErrorCode): number {
  switch (code) {
    case AppErrorCode.Invalid:
      return 400;
    case AppErrorCode.Unauthenticated:
      return 401;
    case AppErrorCode.Forbidden:
      return 403;
    case AppErrorCode.NotFound:
      return 404;
    case AppErrorCode.NotAcceptable:
      return 406;
    case AppErrorCode.WriteConflict:
    case AppErrorCode.ProjectKeyTaken:
    case AppErrorCode.TimerNotScheduled:
    case AppErrorCode.Conflict:
    case AppErrorCode.PrincipalProtected:
    case AppErrorCode.PrincipalRevoked:
    case AppErrorCode.PrincipalUsesOidc:
      return 409;
    case AppErrorCode.IdempotencyKeyReused:
      return 422;
    case AppErrorCode.RateLimited:
      return 429;
    case AppErrorCode.VersionMismatch:
      return 412;
    case AppErrorCode.Unavailable:
    case AppErrorCode.Stopping:
      return 503;
    default:
      return assertUnreachable(code);
  }
}

function assertUnreachable(value: never): never {
  throw new Error(`Unmapped error code ${String(value)}`);
}
