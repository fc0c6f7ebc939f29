import { findAction, roundPolicy, unownedOpenActions, type HandoverContext } from '../handover.context.js';
import { HandoverErrorCode } from '../handover.errors.js';
import type { Actor } from '../handover.types.js';
import { requiresActionOwners } from '../policy.js';
import type { Refusal } from './refusal.js';
import { ACTION_ROLES, holdsAnyRole, isSystemActor } from './roles.js';

export function actionKnown(context: HandoverContext, key: string): Refusal | null {
  return findAction(context, key) === undefined
    ? {
        code: HandoverErrorCode.UnknownAction,
        message: `The deliverable has no follow-on action "${key}"`,
        details: { key },
      }
    : null;
}

/** Only an open action is assigned or closed. */
export function actionOpen(context: HandoverContext, key: string): Refusal | null {
  const action = findAction(context, key);
  if (action === undefined) return actionKnown(context, key);
  return action.status === 'open'
    ? null
    : {
        code: HandoverErrorCode.ActionAlreadyClosed,
        message: `Follow-on action ${key} was closed at ${action.closedAt ?? '?'}`,
        details: { key, closedAt: action.closedAt },
      };
}

/** A due date lies after the moment it is set: a reminder for a moment already past would never help. */
export function dueDateAhead(dueAt: string | null | undefined, at: string): Refusal | null {
  return dueAt === null || dueAt === undefined || Date.parse(dueAt) > Date.parse(at)
    ? null
    : {
        code: HandoverErrorCode.DueDatePast,
        message: `The due date ${dueAt} is not after now (${at})`,
        details: { dueAt, at },
      };
}

/**
 * Who closes an action: its owner, or the PMO or SMO (ACTION_ROLES names them). The system actor may, as it
 * may send any command but a decision.
 */
export function mayCloseAction(context: HandoverContext, key: string, actor: Actor): Refusal | null {
  const rule = ACTION_ROLES.close_action;
  const roles = rule.kind === 'owner' ? rule.orAnyOf : [];
  const owner = findAction(context, key)?.ownerId ?? null;
  return isSystemActor(actor) ||
    (owner !== null && actor.principalId === owner) ||
    holdsAnyRole(actor.roles, roles)
    ? null
    : {
        code: HandoverErrorCode.RoleRequired,
        message: `Refused: follow-on action ${key} is closed by its owner, or by ${roles.join(' or ')}`,
        details: { action: 'close_action', key },
      };
}

/**
 * ELS exit criterion: every open follow-on action has an owner in business as usual, unless the round's
 * policy says otherwise (elsExitRequiresActionOwners).
 */
export function actionsOwned(context: HandoverContext): Refusal | null {
  if (!requiresActionOwners(roundPolicy(context))) return null;
  const unowned = unownedOpenActions(context).map(({ key }) => key);
  return unowned.length === 0
    ? null
    : {
        code: HandoverErrorCode.ElsExitCriteriaUnmet,
        message: `Open follow-on actions without an owner: ${unowned.join(', ')}`,
        details: { actionsWithoutOwner: unowned },
      };
}
