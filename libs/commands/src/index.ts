export {
  Access,
  ADMIN_PRINCIPAL_ID,
  generateToken,
  hashToken,
  type Principal,
  type TokenLookup,
} from './access.js';
export { ExpiringSet } from './expiring-set.js';
export { AppError, AppErrorCode, type FieldError } from './app.errors.js';
export {
  claimAt,
  looksLikeJwt,
  OIDC_ALGORITHMS,
  OIDC_PRINCIPAL_NAMESPACE,
  oidcPrincipalId,
  OidcVerifier,
  rolesFrom,
  type OidcIdentity,
  type OidcOptions,
} from './oidc.js';
export {
  auditHash,
  canonicalJson,
  verifyChain,
  type ChainBreak,
  type HashedAuditContent,
} from './audit-hash.js';
export {
  derivedId,
  emailJob,
  eventJob,
  outboxJob,
  planEffects,
  timerJob,
  type EffectPlan,
} from './effect-jobs.js';
export {
  HandoverCommands,
  type CommandInput,
  type CommandObserver,
  type CreateDeliverableInput,
  type ExecuteOptions,
} from './handover-commands.js';
export { EVENT_TYPES, NOTICE_EVENT_OF_TIMER } from './event-types.js';
export { notificationFor, type Notification, type NotifiedDeliverable } from './notification-audience.js';
