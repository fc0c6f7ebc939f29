// The handover's rules, each once: a function that returns a refusal or null. The machine's guards call
// them, and refusalOf walks them to say why a command is refused; nothing else restates a rule.
export { criterionAutomated, criterionKnown, mandatoryCriteriaMet, resultCurrent } from './criteria.js';
export {
  GATE_AWAITED_IN,
  delegationInForce,
  gateOpen,
  mayDecide,
  notYetDecided,
  roleDecidesAtGate,
  roleHeld,
  separationOfDuties,
  type DecisionRequest,
} from './decisions.js';
export {
  criterionProbeable,
  criterionRenewable,
  expiryCurrent,
  expiryOf,
  readinessHeld,
  renewalAllowed,
  RENEWAL_STATUSES,
} from './expiry.js';
export {
  MAX_DELEGATION_DAYS,
  UNDELEGABLE_ROLES,
  delegationCycle,
  delegationProblems,
  delegationValid,
  type DelegationProblem,
  type DelegationSpec,
} from './delegations.js';
export { actionKnown, actionOpen, actionsOwned, dueDateAhead, mayCloseAction } from './actions.js';
export { elsExitCriteria, elsExitCriteriaMet, incidentsWithinLimits, quorumReached } from './gates.js';
export { incidentNew, incidentOpen } from './incidents.js';
export { policyValid } from './policy.js';
export { firstRefusal, notAllowed, type Refusal } from './refusal.js';
export { ACTION_ROLES, holdsAnyRole, holdsRole, isSystemActor, roleRefusal, type RoleRule } from './roles.js';
export { notOnHold, staleTimer, timerCurrent, type DueTimer } from './timers.js';
export { conflictNoted } from './conflicts.js';
export {
  DEFAULT_FREEZE_OVERRIDE_ROLES,
  freezeAllows,
  windowValid,
  type FreezeCheck,
  type FreezeConflict,
} from './window.js';
