/** Errors of the application layer (the domain has its own, HandoverError). Each code maps to one HTTP status. */
export enum AppErrorCode {
  NotFound = 'RESOURCE.NOT_FOUND',
  VersionMismatch = 'DELIVERABLE.VERSION_MISMATCH',
  WriteConflict = 'DELIVERABLE.WRITE_CONFLICT',
  ProjectKeyTaken = 'PROJECT.KEY_TAKEN',
  Unauthenticated = 'AUTH.UNAUTHENTICATED',
  Forbidden = 'AUTH.FORBIDDEN',
  Invalid = 'REQUEST.INVALID',
  NotAcceptable = 'REQUEST.NOT_ACCEPTABLE',
  Unavailable = 'DEPENDENCY.UNAVAILABLE',
  Stopping = 'SERVICE.STOPPING',
  TimerNotScheduled = 'TIMER.NOT_SCHEDULED',
  Conflict = 'REQUEST.CONFLICT',
  IdempotencyKeyReused = 'IDEMPOTENCY.KEY_REUSED',
  RateLimited = 'REQUEST.RATE_LIMITED',
  PrincipalProtected = 'PRINCIPAL.PROTECTED',
  PrincipalRevoked = 'PRINCIPAL.REVOKED',
  PrincipalUsesOidc = 'PRINCIPAL.USES_OIDC',
}

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  static notFound(what: string, id: string, path?: string): AppError {
    return new AppError(
      AppErrorCode.NotFound,
      `${what} ${id} does not exist`,
      path ? { errors: [{ path, message: `no ${what.toLowerCase()} with this id` }] } : {},
    );
  }
}
